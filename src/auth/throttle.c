/*
 * throttle.c: sign-in throttling (see throttle.h).
 */
#include "auth/throttle.h"

#include "store/store.h"
#include "store/signin.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

/* An IPv6 address by its /64 prefix (IPv4-mapped ones stay whole); others as given. */
static void address_key(const char *address, char *out, size_t cap)
{
    struct in6_addr a6;
    char text[INET6_ADDRSTRLEN];

    if (inet_pton(AF_INET6, address, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
        memset(a6.s6_addr + 8, 0, 8);
        if (inet_ntop(AF_INET6, &a6, text, sizeof(text))) {
            snprintf(out, cap, "a:%s/64", text);
            return;
        }
    }
    snprintf(out, cap, "a:%s", address);
}

void auth_throttle_keys(const char *upn, const char *address, struct auth_throttle_keys *out)
{
    size_t i;

    memcpy(out->account, "u:", 3);
    for (i = 0; upn[i] && i + 3 < sizeof(out->account); i++)
        out->account[i + 2] =
            (upn[i] >= 'A' && upn[i] <= 'Z') ? (char)(upn[i] - 'A' + 'a') : upn[i];
    out->account[i + 2] = '\0';
    out->address[0] = '\0';
    if (address && *address)
        address_key(address, out->address, sizeof(out->address));
}

/* Seconds until the window of key closes when key is at limit, else 0. */
static sb_err at_limit(struct sb_ctx *ctx, const char *key, int limit, int64_t now,
                       int64_t *retry_s)
{
    int64_t hits = 0, first = 0;
    sb_err err;

    *retry_s = 0;
    if (!*key)
        return SB_OK;
    err = store_signin_failures(ctx->store, key, now - AUTH_THROTTLE_WINDOW_MS, &hits, &first);
    if (!err && hits >= limit)
        *retry_s = (first + AUTH_THROTTLE_WINDOW_MS - now + 999) / 1000;
    if (*retry_s < 0)
        *retry_s = 0;
    return err;
}

sb_err auth_throttle_check(struct sb_ctx *ctx, const struct auth_throttle_keys *k,
                           int *retry_after_s)
{
    int64_t now = sb_now_ms(ctx), account = 0, address = 0;
    sb_err err;

    *retry_after_s = 0;
    err = at_limit(ctx, k->account, AUTH_THROTTLE_ACCOUNT, now, &account);
    if (!err)
        err = at_limit(ctx, k->address, AUTH_THROTTLE_ADDRESS, now, &address);
    if (err)
        return err;
    if (!account && !address)
        return SB_OK;
    *retry_after_s = (int)(account > address ? account : address);
    if (*retry_after_s < 1)
        *retry_after_s = 1;
    return SB_ERR_THROTTLED;
}

sb_err auth_throttle_failed(struct sb_ctx *ctx, const struct auth_throttle_keys *k)
{
    const char *keys[2] = {k->account, k->address};

    return store_signin_fail(ctx->store, keys, k->address[0] ? 2 : 1, sb_now_ms(ctx),
                             AUTH_THROTTLE_WINDOW_MS);
}

sb_err auth_throttle_succeeded(struct sb_ctx *ctx, const struct auth_throttle_keys *k)
{
    return store_signin_reset(ctx->store, k->account);
}
