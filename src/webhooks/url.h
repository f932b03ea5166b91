/*
 * url.h: incoming-webhook URLs in the shapes Teams and Power Automate hand out.
 *
 *   {base}/webhookb2/{team}@{tenant}/IncomingWebhook/{key}/{creator}/V2{signature}  (signed)
 *   {base}/webhookb2/{team}@{tenant}/IncomingWebhook/{key}/{creator}               (unsigned)
 *   {base}/webhook/{team}@{tenant}/IncomingWebhook/{key}/{creator}        (unsigned, legacy)
 *   {base}/workflows/{config}/triggers/manual/paths/invoke?api-version=2016-06-01
 *          &sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={signature}
 *   {base}/connectors/{service}/{config}/{signature}      (built-in service connectors)
 *
 * {key} is the configuration's webhook key: 32 lower-case hex digits (128 random bits), as
 * Teams makes it, and the configuration's url_nonce (store.h). URLs made before keys existed
 * carry the configuration id (a dashed GUID) in that slot; the parser accepts that only where
 * such URLs were handed out (the signed form and /webhook/), and the caller decides whether
 * the configuration still takes it (ingest.c).
 *
 * The signature is HMAC-SHA256 (key generated at first start) over the URL's identifying
 * parts, the configuration id and the configuration's nonce, 43 characters in both of its
 * encodings. The V2 segment writes it in base62 (letters and digits only, as Teams' own
 * signatures look): clients validate that segment with patterns such as [a-zA-Z0-9-]+
 * (prometheus-msteams), which the "_" of base64url fails about every other time. V2 segments
 * handed out before, in unpadded base64url, still verify. Workflow and service URLs carry it
 * in unpadded base64url, as Logic Apps' `sig` does. The
 * message does not contain the key slot's text, so a URL with the key and the older one with
 * the configuration id carry the same signature. Rotating the nonce ("Update URL") gives a new
 * key and invalidates every earlier URL of the configuration. Verification is constant time.
 */
#ifndef SB_WEBHOOK_URL_H
#define SB_WEBHOOK_URL_H

#include "core/sb.h"

#include <stdbool.h>

#define WEBHOOK_KEY_LEN 32     /* bytes of the server's signing key */
#define WEBHOOK_URL_KEY_LEN 32 /* hex digits of a configuration's webhook key */
#define WEBHOOK_SIG_LEN 43     /* 32 bytes in unpadded base64url, or in base62 (V2 segments) */

enum webhook_url_kind {
    WEBHOOK_URL_V2 = 1,   /* /webhookb2/.../V2{sig} */
    WEBHOOK_URL_LEGACY,   /* /webhook/... (unsigned) */
    WEBHOOK_URL_WORKFLOW, /* /workflows/... and /powerautomate/... */
    WEBHOOK_URL_SERVICE,  /* /connectors/{kind}/... */
    WEBHOOK_URL_UNSIGNED, /* /webhookb2/... without the V2 segment */
};

#define WEBHOOK_SERVICE_MAX 15 /* a service connector's kind, as sb_connector.kind */

struct webhook_url {
    int kind;        /* enum webhook_url_kind */
    sb_id team_id;   /* not in workflow URLs */
    sb_id tenant_id; /* not in workflow URLs */
    /* Connector-shaped URLs: the key slot holds either key (then config_id is "" until the
     * caller has found the configuration) or, in URLs from before keys, the configuration id
     * (then key is ""). Signing and verifying need config_id. */
    char key[WEBHOOK_URL_KEY_LEN + 1];
    sb_id config_id;
    sb_id creator_id;                      /* not in workflow URLs */
    char sig[WEBHOOK_SIG_LEN + 1];         /* not in legacy URLs */
    char service[WEBHOOK_SERVICE_MAX + 1]; /* service URLs only: the connector kind */
};

/* Whether s is a webhook key: exactly WEBHOOK_URL_KEY_LEN lower-case hex digits. */
bool webhook_url_is_key(const char *s);

/* Reads the route parameters of a connector URL of kind (V2, UNSIGNED or LEGACY):
 * "{team}@{tenant}", the key slot, creator and (V2 only, else NULL) the "V2..." segment. The
 * key slot is a key, or a configuration id in the V2 and LEGACY kinds (the URLs handed out
 * before keys). SB_ERR_NOT_FOUND when they are not of the shape. */
sb_err webhook_url_parse(int kind, const char *team_at_tenant, const char *slot,
                         const char *creator, const char *v2_segment, struct webhook_url *out);
/* Reads a workflow URL's config id and its `sig` query argument (may be NULL). */
sb_err webhook_url_parse_workflow(const char *config, const char *sig, struct webhook_url *out);

/* Reads a service connector URL's kind, config id and signature segment. */
sb_err webhook_url_parse_service(const char *service, const char *config, const char *sig,
                                 struct webhook_url *out);

/* Computes u->sig for u's kind with the configuration's nonce (u->config_id must be set). */
void webhook_url_sign(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                      struct webhook_url *u);
/* Checks u->sig in constant time (u->config_id must be set); unsigned URLs never verify. */
bool webhook_url_verify(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                        const struct webhook_url *u);

/* Writes the full URL (base = public URL without trailing slash) into out; a connector-shaped
 * URL gets u->key in its key slot (u->config_id when key is ""). */
sb_err webhook_url_format(const char *base, const struct webhook_url *u, char *out, size_t cap);

#endif
