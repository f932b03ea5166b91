#!/bin/bash
# The cost of password guessing for everyone else: p95 of GET /v1.0/me (bearer token, wrk, 16
# connections, a new connection per request, a 30 s time-out so that slow answers are counted)
# with the server idle, then while 16 clients sign in in a loop (tests/bench/signin-guessers.mjs),
# for each binary given, back to back.
#   tests/bench/signin.sh wrong|right BIN...
# wrong: wrong passwords (throttling answers most of them); right: the right password (every
# attempt is hashed: shows the hashing pool alone). Needs wrk and node. The numbers depend on
# the machine's load: compare binaries within one run.
set -euo pipefail
mode=$1
shift
here=$(cd "$(dirname "$0")" && pwd)
for bin in "$@"; do
    dir=$(mktemp -d)
    token=bench-admin-$RANDOM$RANDOM$RANDOM
    SWITCHBOARD_ADMIN_TOKEN=$token "$bin" serve --listen 127.0.0.1:0 --data "$dir/data" 2>"$dir/err" &
    pid=$!
    for _ in $(seq 150); do grep -q "listening on" "$dir/err" && break; sleep 0.1; done
    url=$(sed -n 's/^listening on \(http:[^ ]*\)$/\1/p' "$dir/err")
    curl -sf -o /dev/null -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -d '{"displayName":"Victim","userPrincipalName":"victim@bench.test","passwordProfile":{"password":"Passw0rd-123"}}' \
        "$url/v1.0/users"
    user_token=$(curl -sf -H 'Content-Type: application/json' \
        -d '{"userPrincipalName":"victim@bench.test","password":"Passw0rd-123"}' "$url/api/v1/tokens" |
        sed 's/.*"token":"\([^"]*\)".*/\1/')
    me() { wrk -t2 -c16 --timeout 30s -d"$1" -s "$here/p95.lua" -H "Connection: close" -H "Authorization: Bearer $user_token" "$url/v1.0/me" | tail -1; }
    echo "$bin idle: $(me 10s)"
    right=""
    [ "$mode" = right ] && right=Passw0rd-123
    RIGHT=$right node "$here/signin-guessers.mjs" "$url" victim@bench.test >"$dir/guessers" &
    guessers=$!
    sleep 2
    echo "$bin with 16 $mode-password sign-ins: $(me 15s)"
    kill -TERM $guessers
    wait $guessers || true
    echo "$bin sign-in statuses: $(cat "$dir/guessers")"
    kill -TERM $pid
    wait $pid || true
    rm -rf "$dir"
done
