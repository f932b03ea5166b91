/*
 * url.h: incoming-webhook URLs in the shapes Teams and Power Automate hand out.
 *
 *   {base}/webhookb2/{team}@{tenant}/IncomingWebhook/{config}/{creator}/V2{signature}
 *   {base}/webhook/{team}@{tenant}/IncomingWebhook/{config}/{creator}        (legacy, unsigned)
 *   {base}/workflows/{config}/triggers/manual/paths/invoke?api-version=2016-06-01
 *          &sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig={signature}
 *   {base}/connectors/{service}/{config}/{signature}      (built-in service connectors)
 *
 * The signature is HMAC-SHA256 (key generated at first start) over the URL's identifying
 * parts and the configuration's nonce, in unpadded base64url. Rotating the nonce ("Update
 * URL") invalidates every earlier URL of the configuration. Verification is constant time.
 */
#ifndef SB_WEBHOOK_URL_H
#define SB_WEBHOOK_URL_H

#include "core/sb.h"

#include <stdbool.h>

#define WEBHOOK_KEY_LEN 32
#define WEBHOOK_SIG_LEN 43 /* base64url of 32 bytes, unpadded */

enum webhook_url_kind {
    WEBHOOK_URL_V2 = 1,
    WEBHOOK_URL_LEGACY,
    WEBHOOK_URL_WORKFLOW,
    WEBHOOK_URL_SERVICE
};

#define WEBHOOK_SERVICE_MAX 15 /* a service connector's kind, as store_connector.kind */

struct webhook_url {
    int kind;        /* enum webhook_url_kind */
    sb_id team_id;   /* not in workflow URLs */
    sb_id tenant_id; /* not in workflow URLs */
    sb_id config_id;
    sb_id creator_id;                      /* not in workflow URLs */
    char sig[WEBHOOK_SIG_LEN + 1];         /* not in legacy URLs */
    char service[WEBHOOK_SERVICE_MAX + 1]; /* service URLs only: the connector kind */
};

/* Reads the route parameters of a connector URL: "{team}@{tenant}", config, creator and (V2
 * only; NULL for legacy) the "V2..." segment. SB_ERR_NOT_FOUND when they are not of the shape. */
sb_err webhook_url_parse(const char *team_at_tenant, const char *config, const char *creator,
                         const char *v2_segment, struct webhook_url *out);
/* Reads a workflow URL's config id and its `sig` query argument (may be NULL). */
sb_err webhook_url_parse_workflow(const char *config, const char *sig, struct webhook_url *out);

/* Reads a service connector URL's kind, config id and signature segment. */
sb_err webhook_url_parse_service(const char *service, const char *config, const char *sig,
                                 struct webhook_url *out);

/* Computes u->sig for u's kind with the configuration's nonce. */
void webhook_url_sign(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                      struct webhook_url *u);
/* Checks u->sig in constant time; legacy URLs carry no signature and never verify. */
bool webhook_url_verify(const unsigned char key[WEBHOOK_KEY_LEN], const char *nonce,
                        const struct webhook_url *u);

/* Writes the full URL (base = public URL without trailing slash) into out. */
sb_err webhook_url_format(const char *base, const struct webhook_url *u, char *out, size_t cap);

#endif
