#!/usr/bin/env python3
"""Fills a stopped Switchboard SQLite database with N external items for the search benchmark
(tests/bench/search.mjs). Rows go straight into gc_items, gc_acl and gc_fts, as the server
would write them for PUT .../items/{id}.

Text: a vocabulary of 20,000 made-up words drawn with a Zipf distribution (s = 1), 5 words of
title (the searchable property) and 30 of content per item. ACLs: 60% everyone, 25% one of
the teams, 10% one user, 5% everyone with a deny of one team.

usage: search-gen.py DB CONN_PK N SEED TEAM_IDS(comma) USER_IDS(comma)
       search-gen.py --vocab SEED   (only the vocabulary, as the run with SEED prints it)
"""
import bisect
import json
import random
import sqlite3
import sys

VOCAB_ONLY = sys.argv[1] == "--vocab"
if VOCAB_ONLY:
    seed = int(sys.argv[2])
else:
    db, conn_pk, n, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    teams = sys.argv[5].split(",")
    users = sys.argv[6].split(",")
rnd = random.Random(seed)

SYL = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "da", "zen", "qua", "bri", "ost", "el", "fu"]
vocab = []
seen = set()
while len(vocab) < 20000:
    w = "".join(rnd.choice(SYL) for _ in range(rnd.randint(2, 4)))
    if w not in seen:
        seen.add(w)
        vocab.append(w)
weights = [1.0 / (r + 1) for r in range(len(vocab))]
cum = []
t = 0.0
for w in weights:
    t += w
    cum.append(t)
if VOCAB_ONLY:
    print(json.dumps(vocab))
    sys.exit(0)


def words(k):
    return " ".join(vocab[bisect.bisect_left(cum, rnd.random() * t)] for _ in range(k))


c = sqlite3.connect(db)
c.execute("PRAGMA journal_mode=WAL")
c.execute("PRAGMA synchronous=OFF")
c.execute("BEGIN")
next_pk = (c.execute("SELECT COALESCE(MAX(pk), 0) FROM gc_items").fetchone()[0]) + 1
BATCH = 10000
items, acl, fts = [], [], []
for i in range(n):
    pk = next_pk + i
    title = words(5)
    body = words(30)
    props = json.dumps({"title": title, "priority": rnd.randint(1, 4)})
    r = rnd.random()
    if r < 0.60:
        entries = [("e", 0)]
    elif r < 0.85:
        entries = [("g:" + rnd.choice(teams), 0)]
    elif r < 0.95:
        entries = [("u:" + rnd.choice(users), 0)]
    else:
        entries = [("e", 0), ("g:" + rnd.choice(teams), 1)]
    acl_json = json.dumps([{"type": "everyone" if k == "e" else ("group" if k[0] == "g" else "user"),
                            "value": k[2:] if k != "e" else "tenant",
                            "accessType": "deny" if d else "grant"} for k, d in entries])
    items.append((pk, conn_pk, "I%d" % pk, props, body, "text", acl_json, "2026-11-25T00:00:00.000Z"))
    acl.extend((pk, conn_pk, k, d) for k, d in entries)
    fts.append((pk, title, body))
    if len(items) == BATCH or i == n - 1:
        c.executemany("INSERT INTO gc_items (pk, conn_pk, id, properties, content, content_type, acl, "
                      "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", items)
        c.executemany("INSERT OR IGNORE INTO gc_acl (item_pk, conn_pk, key, deny) VALUES (?, ?, ?, ?)", acl)
        c.executemany("INSERT INTO gc_fts (rowid, title, body) VALUES (?, ?, ?)", fts)
        items, acl, fts = [], [], []
        if (i + 1) % 100000 == 0:
            print("generated %d items" % (i + 1), file=sys.stderr, flush=True)
c.execute("COMMIT")
c.execute("INSERT INTO gc_fts (gc_fts) VALUES ('optimize')")
c.execute("ANALYZE")
c.commit()
# The query words, by rank: the benchmark picks terms from several frequency bands.
print(json.dumps(vocab[:20000]))
