#include "webhooks/url.h"

#include "core/ids.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static bool copy_id(const char *s, size_t len, sb_id out)
{
    if (len != SB_ID_LEN)
        return false;
    memcpy(out, s, len);
    out[len] = '\0';
    return sb_id_valid(out);
}

bool webhook_url_is_key(const char *s)
{
    size_t n = strspn(s, "0123456789abcdef");

    return n == WEBHOOK_URL_KEY_LEN && s[n] == '\0';
}

sb_err webhook_url_parse(int kind, const char *team_at_tenant, const char *slot,
                         const char *creator, const char *v2_segment, struct webhook_url *out)
{
    const char *at = strchr(team_at_tenant, '@');

    memset(out, 0, sizeof(*out));
    out->kind = kind;
    if ((kind == WEBHOOK_URL_V2) != (v2_segment != NULL) ||
        (kind != WEBHOOK_URL_V2 && kind != WEBHOOK_URL_UNSIGNED && kind != WEBHOOK_URL_LEGACY))
        goto bad;
    if (!at || !copy_id(team_at_tenant, (size_t)(at - team_at_tenant), out->team_id) ||
        !copy_id(at + 1, strlen(at + 1), out->tenant_id) ||
        !copy_id(creator, strlen(creator), out->creator_id))
        goto bad;
    /* A configuration id in the key slot only where URLs of that shape were handed out before
     * keys: the new /webhookb2/ unsigned form never had one (the id is not a secret). */
    if (webhook_url_is_key(slot))
        memcpy(out->key, slot, WEBHOOK_URL_KEY_LEN + 1);
    else if (kind == WEBHOOK_URL_UNSIGNED || !copy_id(slot, strlen(slot), out->config_id))
        goto bad;
    if (v2_segment) {
        if (strncmp(v2_segment, "V2", 2) != 0 || strlen(v2_segment + 2) != WEBHOOK_SIG_LEN)
            goto bad;
        memcpy(out->sig, v2_segment + 2, WEBHOOK_SIG_LEN + 1);
    }
    return SB_OK;
bad:
    memset(out, 0, sizeof(*out));
    return SB_ERR_NOT_FOUND;
}

sb_err webhook_url_parse_workflow(const char *config, const char *sig, struct webhook_url *out)
{
    memset(out, 0, sizeof(*out));
    out->kind = WEBHOOK_URL_WORKFLOW;
    if (!copy_id(config, strlen(config), out->config_id))
        return SB_ERR_NOT_FOUND;
    if (sig && strlen(sig) == WEBHOOK_SIG_LEN)
        memcpy(out->sig, sig, WEBHOOK_SIG_LEN + 1);
    return SB_OK;
}

sb_err webhook_url_parse_service(const char *service, const char *config, const char *sig,
                                 struct webhook_url *out)
{
    size_t n = strlen(service);

    memset(out, 0, sizeof(*out));
    out->kind = WEBHOOK_URL_SERVICE;
    if (n == 0 || n > WEBHOOK_SERVICE_MAX || !copy_id(config, strlen(config), out->config_id) ||
        strlen(sig) != WEBHOOK_SIG_LEN)
        return SB_ERR_NOT_FOUND;
    memcpy(out->service, service, n + 1);
    memcpy(out->sig, sig, WEBHOOK_SIG_LEN + 1);
    return SB_OK;
}

static void mac_part(crypto_auth_hmacsha256_state *st, const char *part)
{
    crypto_auth_hmacsha256_update(st, (const unsigned char *)part, strlen(part));
    crypto_auth_hmacsha256_update(st, (const unsigned char *)"|", 1);
}

/* Writes mac as WEBHOOK_SIG_LEN base62 digits, most significant first: 62^43 > 2^256, so every
 * MAC fits the fixed width. The long division runs on 32-bit limbs (8 per digit instead of 32
 * byte steps): it was a third of the URL check's time. */
static void base62(const unsigned char mac[crypto_auth_hmacsha256_BYTES],
                   char out[WEBHOOK_SIG_LEN + 1])
{
    static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    uint32_t limb[crypto_auth_hmacsha256_BYTES / 4];

    for (size_t j = 0; j < sizeof(limb) / sizeof(limb[0]); j++)
        limb[j] = (uint32_t)mac[4 * j] << 24 | (uint32_t)mac[4 * j + 1] << 16 |
                  (uint32_t)mac[4 * j + 2] << 8 | (uint32_t)mac[4 * j + 3];
    for (int i = WEBHOOK_SIG_LEN - 1; i >= 0; i--) {
        uint64_t rem = 0;

        for (size_t j = 0; j < sizeof(limb) / sizeof(limb[0]); j++) {
            uint64_t cur = rem << 32 | limb[j];

            limb[j] = (uint32_t)(cur / 62);
            rem = cur % 62;
        }
        out[i] = digits[rem];
    }
    out[WEBHOOK_SIG_LEN] = '\0';
    sodium_memzero(limb, sizeof(limb));
}

/* u's MAC: the message is the URL's parts, the key the server's webhook key. */
static void mac_of(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                   const struct webhook_url *u, unsigned char mac[crypto_auth_hmacsha256_BYTES])
{
    crypto_auth_hmacsha256_state st;

    /* Each kind signs a different message, so one URL's signature never fits another shape.
     * The parts are fed one by one: no buffer to size, whatever their lengths. */
    crypto_auth_hmacsha256_init(&st, key, WEBHOOK_KEY_LEN);
    if (u->kind == WEBHOOK_URL_WORKFLOW) {
        mac_part(&st, "workflow");
    } else if (u->kind == WEBHOOK_URL_SERVICE) {
        mac_part(&st, "service");
        mac_part(&st, u->service);
    } else {
        mac_part(&st, "v2");
        mac_part(&st, u->team_id);
        mac_part(&st, u->tenant_id);
    }
    mac_part(&st, u->config_id);
    if (u->kind != WEBHOOK_URL_WORKFLOW && u->kind != WEBHOOK_URL_SERVICE)
        mac_part(&st, u->creator_id);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)nonce, strlen(nonce));
    crypto_auth_hmacsha256_final(&st, mac);
}

/* mac as a signature: in base62 when b62 (V2 segments), else in unpadded base64url. */
static void encode(const unsigned char mac[crypto_auth_hmacsha256_BYTES], bool b62,
                   char sig[WEBHOOK_SIG_LEN + 1])
{
    if (b62)
        base62(mac, sig);
    else
        sodium_bin2base64(sig, WEBHOOK_SIG_LEN + 1, mac, crypto_auth_hmacsha256_BYTES,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

static bool is_unsigned(const struct webhook_url *u)
{
    return u->kind == WEBHOOK_URL_LEGACY || u->kind == WEBHOOK_URL_UNSIGNED;
}

void webhook_url_sign(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                      struct webhook_url *u)
{
    if (is_unsigned(u))
        u->sig[0] = '\0';
    else {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];

        mac_of(key, nonce, u, mac);
        encode(mac, u->kind == WEBHOOK_URL_V2, u->sig);
        sodium_memzero(mac, sizeof(mac));
    }
}

bool webhook_url_verify(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                        const struct webhook_url *u)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char want[WEBHOOK_SIG_LEN + 1], before[WEBHOOK_SIG_LEN + 1];
    bool ok;

    if (is_unsigned(u) || strlen(u->sig) != WEBHOOK_SIG_LEN)
        return false;
    mac_of(key, nonce, u, mac);
    encode(mac, u->kind == WEBHOOK_URL_V2, want);
    ok = sodium_memcmp(want, u->sig, WEBHOOK_SIG_LEN) == 0;
    if (u->kind == WEBHOOK_URL_V2) {
        /* V2 URLs handed out before base62 carry the base64url form of the same MAC; both are
         * compared, so the time taken does not tell which one came close. */
        encode(mac, false, before);
        ok |= sodium_memcmp(before, u->sig, WEBHOOK_SIG_LEN) == 0;
    }
    sodium_memzero(mac, sizeof(mac));
    return ok;
}

sb_err webhook_url_format(const char *base, const struct webhook_url *u, char *out, size_t cap)
{
    const char *slot = u->key[0] ? u->key : u->config_id;
    int n;

    switch (u->kind) {
    case WEBHOOK_URL_V2:
        n = snprintf(out, cap, "%s/webhookb2/%s@%s/IncomingWebhook/%s/%s/V2%s", base, u->team_id,
                     u->tenant_id, slot, u->creator_id, u->sig);
        break;
    case WEBHOOK_URL_UNSIGNED:
        n = snprintf(out, cap, "%s/webhookb2/%s@%s/IncomingWebhook/%s/%s", base, u->team_id,
                     u->tenant_id, slot, u->creator_id);
        break;
    case WEBHOOK_URL_LEGACY:
        n = snprintf(out, cap, "%s/webhook/%s@%s/IncomingWebhook/%s/%s", base, u->team_id,
                     u->tenant_id, slot, u->creator_id);
        break;
    case WEBHOOK_URL_WORKFLOW:
        n = snprintf(out, cap,
                     "%s/workflows/%s/triggers/manual/paths/invoke?api-version=2016-06-01"
                     "&sp=%%2Ftriggers%%2Fmanual%%2Frun&sv=1.0&sig=%s",
                     base, u->config_id, u->sig);
        break;
    case WEBHOOK_URL_SERVICE:
        n = snprintf(out, cap, "%s/connectors/%s/%s/%s", base, u->service, u->config_id, u->sig);
        break;
    default:
        return SB_ERR_INVALID;
    }
    return n < 0 || (size_t)n >= cap ? SB_ERR_TOO_LARGE : SB_OK;
}
