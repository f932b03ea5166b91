/*
 * apphost_token.c: the sandbox's tickets and session tokens (see apphost.h): HMAC-SHA256 over
 * kind, app, user and expiry, under a key derived from the server's webhook key, compared in
 * constant time.
 */
#include "connectors/apphost.h"

#include "core/ids.h"

#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The MAC key of sandbox tokens, derived from the server's webhook key so that a token can never
 * be mistaken for a webhook signature (or the other way round). */
static void token_key(const unsigned char key[32], unsigned char out[32])
{
    static const char label[] = "switchboard apphost token key v1";

    crypto_auth_hmacsha256(out, (const unsigned char *)label, sizeof(label) - 1, key);
}

/* base64url(HMAC-SHA256(token key, kind app_id user_id expiry)) into mac (44 bytes with NUL). */
static void token_mac(const unsigned char key[32], enum apphost_token_kind kind, const char *app_id,
                      const char *user_id, const char *expiry, char mac[44])
{
    unsigned char k[32], h[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    const char *kinds[] = {"ticket", "session"};

    token_key(key, k);
    crypto_auth_hmacsha256_init(&st, k, sizeof(k));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)kinds[kind], strlen(kinds[kind]) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)app_id, strlen(app_id) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)user_id, strlen(user_id) + 1);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)expiry, strlen(expiry));
    crypto_auth_hmacsha256_final(&st, h);
    sodium_bin2base64(mac, 44, h, sizeof(h), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(k, sizeof(k));
}

sb_err apphost_token_make(const unsigned char key[32], enum apphost_token_kind kind,
                          const char *app_id, const char *user_id, int64_t expires_ms, char *out,
                          size_t cap)
{
    char expiry[24], mac[44];
    int n;

    if (!app_id || !user_id || !sb_id_valid(app_id) || !sb_id_valid(user_id) || expires_ms <= 0)
        return SB_ERR_INVALID;
    snprintf(expiry, sizeof(expiry), "%" PRId64, expires_ms);
    token_mac(key, kind, app_id, user_id, expiry, mac);
    n = snprintf(out, cap, "%s.%s.%s", user_id, expiry, mac);
    return n > 0 && (size_t)n < cap ? SB_OK : SB_ERR_INVALID;
}

bool apphost_token_check(const unsigned char key[32], enum apphost_token_kind kind,
                         const char *app_id, const char *token, int64_t now_ms,
                         char user_id[SB_ID_LEN + 1])
{
    char user[SB_ID_LEN + 1], expiry[24], want[44];
    const char *dot, *mac;
    size_t el;
    bool ok;

    if (!token || strlen(token) >= APPHOST_TOKEN_MAX ||
        !sb_id_text(token, strnlen(token, SB_ID_LEN)) || token[SB_ID_LEN] != '.')
        return false;
    memcpy(user, token, SB_ID_LEN);
    user[SB_ID_LEN] = '\0';
    dot = strchr(token + SB_ID_LEN + 1, '.');
    if (!dot)
        return false;
    el = (size_t)(dot - (token + SB_ID_LEN + 1));
    if (el == 0 || el >= sizeof(expiry) || strspn(token + SB_ID_LEN + 1, "0123456789") != el)
        return false;
    memcpy(expiry, token + SB_ID_LEN + 1, el);
    expiry[el] = '\0';
    mac = dot + 1;
    token_mac(key, kind, app_id, user, expiry, want);
    /* Constant time over the MAC; its length is public. */
    ok = strlen(mac) == strlen(want) && sodium_memcmp(mac, want, strlen(want)) == 0;
    if (!ok || strtoll(expiry, NULL, 10) <= now_ms)
        return false;
    memcpy(user_id, user, SB_ID_LEN + 1);
    return true;
}
