/*
 * fuzz_webhook_url.c: libFuzzer target for the webhook URL parsers (src/webhooks/url).
 *
 * The input is split on its first three '/' into the route parameters of a connector URL:
 * "{team}@{tenant}", key slot, creator and the "V2..." segment (absent: an unsigned URL, parsed
 * both as /webhookb2/ and as /webhook/). The same parts feed webhook_url_parse_workflow
 * (config, sig). Beyond "no crash, no leak", on success it checks the contract: ids valid, the
 * key slot either a key (32 lower-case hex) or, outside the /webhookb2/ unsigned form, a
 * configuration id; the signature kept only in its shape; the fuzzer's own signature never
 * verifies unless it equals the real one; signing then verifying succeeds (never for unsigned
 * URLs), one changed character fails; the formatted URL parses back to the same thing;
 * formatting into a buffer one byte short is SB_ERR_TOO_LARGE.
 *
 * Build and run (from the repository root; -D_GNU_SOURCE as in the Makefile, or ids.c loses
 * the declaration of strptime):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -D_GNU_SOURCE -Isrc \
 *       tests/fuzz/fuzz_webhook_url.c src/webhooks/url.c src/core/[a-z]*.c \
 *       $(pkg-config --cflags --libs jansson libsodium) -o /tmp/fuzz_url
 *   mkdir -p /tmp/corpus_url && /tmp/fuzz_url -max_total_time=30 /tmp/corpus_url
 */
#include "core/ids.h"
#include "webhooks/url.h"

#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BASE "https://fuzz.example"
#define NONCE "0123456789abcdef0123456789abcdef" /* the store's nonces are 32 characters */
/* The configuration a key names, as the caller fills it in after finding it. */
#define FOUND_CONFIG "c0a80101-0000-4000-8000-000000000001"

static const unsigned char key[WEBHOOK_KEY_LEN] = {
    1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32,
};

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "contract broken: %s\n", what);
        abort();
    }
}

static int same_url(const struct webhook_url *a, const struct webhook_url *b)
{
    /* A URL with a key parses back without the configuration id the caller had added. */
    return a->kind == b->kind && strcmp(a->team_id, b->team_id) == 0 &&
           strcmp(a->tenant_id, b->tenant_id) == 0 && strcmp(a->key, b->key) == 0 &&
           (b->key[0] || strcmp(a->config_id, b->config_id) == 0) &&
           strcmp(a->creator_id, b->creator_id) == 0 && strcmp(a->sig, b->sig) == 0;
}

/* Parses a URL made by webhook_url_format back into its parts. */
static void reparse(const char *url, const struct webhook_url *want)
{
    struct webhook_url got;
    char buf[512], *p, *parts[4];
    size_t blen = strlen(BASE);

    check(strncmp(url, BASE, blen) == 0, "formatted URL starts with the base");
    snprintf(buf, sizeof(buf), "%s", url + blen);
    if (want->kind == WEBHOOK_URL_WORKFLOW) {
        static const char mid[] = "/triggers/manual/paths/invoke?api-version=2016-06-01"
                                  "&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=";
        check(strncmp(buf, "/workflows/", 11) == 0, "workflow URL path");
        p = buf + 11;
        check(strlen(p) > SB_ID_LEN && strncmp(p + SB_ID_LEN, mid, sizeof(mid) - 1) == 0,
              "workflow URL query");
        p[SB_ID_LEN] = '\0';
        check(webhook_url_parse_workflow(p, p + SB_ID_LEN + sizeof(mid) - 1, &got) == SB_OK,
              "formatted workflow URL parses");
        check(same_url(&got, want), "formatted workflow URL parses back to the same");
        return;
    }
    if (want->kind != WEBHOOK_URL_LEGACY) {
        check(strncmp(buf, "/webhookb2/", 11) == 0, "V2 or unsigned URL path");
        p = buf + 11;
    } else {
        check(strncmp(buf, "/webhook/", 9) == 0, "legacy URL path");
        p = buf + 9;
    }
    parts[0] = p;
    p = strchr(p, '/');
    check(p && strncmp(p, "/IncomingWebhook/", 17) == 0, "IncomingWebhook segment");
    *p = '\0';
    parts[1] = p + 17;
    p = strchr(parts[1], '/');
    check(p != NULL, "creator segment");
    *p = '\0';
    parts[2] = p + 1;
    p = strchr(parts[2], '/');
    if (want->kind == WEBHOOK_URL_V2) {
        check(p != NULL, "V2 segment");
        *p = '\0';
        parts[3] = p + 1;
    } else {
        check(p == NULL, "no fourth segment in an unsigned URL");
        parts[3] = NULL;
    }
    check(webhook_url_parse(want->kind, parts[0], parts[1], parts[2], parts[3], &got) == SB_OK,
          "formatted URL parses");
    check(same_url(&got, want), "formatted URL parses back to the same");
}

static void exercise(const struct webhook_url *parsed)
{
    struct webhook_url u = *parsed, m;
    char url[512], small[512];
    size_t len;
    int forged;

    check(u.kind == WEBHOOK_URL_V2 || u.kind == WEBHOOK_URL_LEGACY ||
              u.kind == WEBHOOK_URL_UNSIGNED || u.kind == WEBHOOK_URL_WORKFLOW,
          "known kind");
    if (u.key[0]) {
        check(u.kind != WEBHOOK_URL_WORKFLOW && webhook_url_is_key(u.key) && !u.config_id[0],
              "a key, alone in its slot");
        memcpy(u.config_id, FOUND_CONFIG, sizeof(FOUND_CONFIG));
    } else {
        check(u.kind != WEBHOOK_URL_UNSIGNED, "no configuration id in the /webhookb2/ unsigned");
    }
    check(sb_id_valid(u.config_id), "config id valid");
    if (u.kind == WEBHOOK_URL_WORKFLOW) {
        check(u.team_id[0] == '\0' && u.tenant_id[0] == '\0' && u.creator_id[0] == '\0',
              "workflow URLs carry only a config id");
    } else {
        check(sb_id_valid(u.team_id) && sb_id_valid(u.tenant_id) && sb_id_valid(u.creator_id),
              "ids valid");
    }
    if (u.kind == WEBHOOK_URL_V2)
        check(strlen(u.sig) == WEBHOOK_SIG_LEN, "V2 signature length");
    else if (u.kind == WEBHOOK_URL_LEGACY || u.kind == WEBHOOK_URL_UNSIGNED)
        check(u.sig[0] == '\0', "unsigned URLs carry no signature");
    else
        check(u.sig[0] == '\0' || strlen(u.sig) == WEBHOOK_SIG_LEN, "workflow signature length");

    /* the fuzzer's signature verifies only if it is the real one */
    forged = webhook_url_verify(key, NONCE, &u);
    m = u;
    webhook_url_sign(key, NONCE, &m);
    check(!forged || (u.kind != WEBHOOK_URL_LEGACY && u.kind != WEBHOOK_URL_UNSIGNED &&
                      strcmp(u.sig, m.sig) == 0),
          "only the real signature verifies");

    /* sign, verify; unsigned never verifies */
    u = m;
    if (u.kind == WEBHOOK_URL_LEGACY || u.kind == WEBHOOK_URL_UNSIGNED) {
        check(u.sig[0] == '\0', "signing an unsigned URL leaves no signature");
        check(!webhook_url_verify(key, NONCE, &u), "unsigned never verifies");
    } else {
        check(strlen(u.sig) == WEBHOOK_SIG_LEN, "signature length");
        check(webhook_url_verify(key, NONCE, &u), "signed URL verifies");
        check(!webhook_url_verify(key, NONCE "x", &u), "another nonce fails");
        m = u;
        m.sig[0] = m.sig[0] == 'A' ? 'B' : 'A';
        check(!webhook_url_verify(key, NONCE, &m), "a changed signature fails");
        m = u;
        m.config_id[SB_ID_LEN - 1] = m.config_id[SB_ID_LEN - 1] == '0' ? '1' : '0';
        check(!webhook_url_verify(key, NONCE, &m), "a changed config fails");
        m = u;
        m.kind = u.kind == WEBHOOK_URL_V2 ? WEBHOOK_URL_WORKFLOW : WEBHOOK_URL_V2;
        check(!webhook_url_verify(key, NONCE, &m), "a switched kind fails");
    }

    /* format, parse back; one byte short is too large */
    check(webhook_url_format(BASE, &u, url, sizeof(url)) == SB_OK, "format fits 512 bytes");
    len = strlen(url);
    reparse(url, &u);
    check(webhook_url_format(BASE, &u, small, len + 1) == SB_OK, "exact fit");
    check(strcmp(small, url) == 0, "exact fit writes the same");
    check(webhook_url_format(BASE, &u, small, len) == SB_ERR_TOO_LARGE, "one byte short");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    struct webhook_url u;
    char *buf, *parts[4] = {NULL, NULL, NULL, NULL}, *p;
    int n = 0;
    sb_err err;

    if (!ready) {
        if (sodium_init() < 0)
            abort();
        ready = 1;
    }
    if (size > 4096)
        return 0;
    buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0'; /* an embedded NUL ends the input early, as it would a C string */

    /* {team}@{tenant} / config / creator / V2segment (may contain '/': the rest of the input) */
    p = buf;
    parts[n++] = p;
    while (n < 4 && (p = strchr(p, '/')) != NULL) {
        *p++ = '\0';
        parts[n++] = p;
    }
    for (int k = 0; k < (parts[3] ? 1 : 2); k++) {
        int kind = parts[3] ? WEBHOOK_URL_V2 : k ? WEBHOOK_URL_LEGACY : WEBHOOK_URL_UNSIGNED;

        err = webhook_url_parse(kind, parts[0], parts[1] ? parts[1] : "", parts[2] ? parts[2] : "",
                                parts[3], &u);
        if (err == SB_OK)
            exercise(&u);
        else
            check(err == SB_ERR_NOT_FOUND, "parse fails with not found");
    }

    err = webhook_url_parse_workflow(parts[1] ? parts[1] : parts[0], parts[3], &u);
    if (err == SB_OK)
        exercise(&u);
    else
        check(err == SB_ERR_NOT_FOUND, "workflow parse fails with not found");

    free(buf);
    return 0;
}
