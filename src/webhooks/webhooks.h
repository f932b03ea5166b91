/*
 * webhooks.h: incoming-webhook configurations and the ingestion of what services post to them.
 *
 * A webhook is a connector configuration of the built-in "Incoming Webhook" connector on one
 * channel. It belongs to the channel: it keeps working when the person who made it leaves.
 */
#ifndef SB_WEBHOOKS_H
#define SB_WEBHOOKS_H

#include "auth/auth.h"
#include "model/audit.h"
#include "model/connectors.h"
#include "model/messages.h"
#include "model/teams.h"
#include "webhooks/url.h"

#include <jansson.h>

/* The catalog id of the built-in Incoming Webhook connector (the id Teams uses for it). */
#define WEBHOOK_CONNECTOR_ID "203a1e2c-26cc-47ca-83ae-be98f960b6b2"
#define WEBHOOK_KIND "incomingWebhook"
#define WEBHOOK_APP_KIND "app" /* a connector app's configuration: posts like a webhook */
#define WEBHOOK_IMAGE_MAX (256 * 1024)
#define WEBHOOK_URL_MAX 1024

/* Creates a webhook on the channel. image: NULL, a data URL (PNG, JPEG, GIF or WebP, at most
 * WEBHOOK_IMAGE_MAX bytes decoded) or an https URL. app_type: the client it is made in, "teams"
 * or "groups" (a group mailbox-style feed; NULL = "teams"). The URL shape follows the
 * organisation's webhookUrlFormat setting. The "webhook.create" audit entry is written with
 * it. */
sb_err webhook_create(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_channel *ch, const char *name, const char *image,
                      const char *app_type, struct sb_connector *out, struct sb_diag *diag);

/* Fills a new configuration of kind on the channel (id, creator, time, URL shape and nonce per
 * the organisation's webhookUrlFormat) for store_connector_insert(): every kind that receives
 * posts on a webhook URL starts here. out must be zeroed by the caller. */
sb_err webhook_config_init(struct sb_ctx *ctx, const struct sb_principal *who,
                           const struct sb_channel *ch, const char *kind, const char *connector_id,
                           const char *name, struct sb_connector *out);

/* The configuration's current URLs (connector shape and workflow shape). */
sb_err webhook_urls(const struct sb_ctx *ctx, const struct sb_connector *c, char *url,
                    char *workflow_url, size_t cap);

/* True while the webhook still has a legacy URL ("Attention required"). */
bool webhook_attention_required(const struct sb_connector *c);

/* "Update URL": new signed URLs; every earlier URL of the webhook stops working. audit (may be
 * NULL) is written in the same transaction. */
sb_err webhook_update_url(struct sb_ctx *ctx, struct sb_connector *c, const struct sb_audit *audit,
                          struct sb_diag *diag);

/* What the audit log records of a configuration: {name, kind, teamId, channelId} (no secret,
 * no URL). */
json_t *webhook_summary(const struct sb_connector *c);
/* The audit entry of action on configuration c by who; before/after are borrowed and may be
 * NULL. Written by the store function of the change, in its transaction; release it with
 * org_audit_entry_free. */
sb_err webhook_audit_entry(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                           const struct sb_connector *c, json_t *before, json_t *after,
                           struct sb_audit *out);

/* ---- ingestion ---- */

struct webhook_result;

enum webhook_transform_outcome {
    WEBHOOK_TRANSFORM_POST = 1, /* *card holds the card body to post */
    WEBHOOK_TRANSFORM_IGNORE,   /* acknowledge (200) without a message; why goes to the log */
    WEBHOOK_TRANSFORM_REFUSE,   /* answer *status with why */
};

/* A service connector's translation of its native payload into a card body (JSON text, heap).
 * Runs inside webhook_ingest_start after the URL, policy and size checks and before the rate
 * limit, so refused and ignored posts do not use up the configuration's tokens. */
struct webhook_transform {
    enum webhook_transform_outcome (*fn)(void *arg, const struct sb_connector *c, const char *body,
                                         size_t len, char **card, int *status, char *why,
                                         size_t why_cap);
    void *arg;
};

struct webhook_post {
    struct webhook_url url; /* parsed from the request */
    const char *body;
    size_t len;
    bool too_large;           /* the body exceeded the route's limit and was not kept */
    size_t limit;             /* that limit, for the refusal (0: --max-payload) */
    const char *content_type; /* may be NULL */
    /* Service connector URLs only; used during webhook_ingest_start, not after it returns. */
    const struct webhook_transform *transform;
    /* The configuration webhook_url_check found for this URL when the request's headers came
     * in, or NULL: then webhook_ingest_start checks the URL itself. Checking once per request
     * halves the lookups and signature checks of a post; a webhook removed while the body
     * was on its way takes that post, as it would one that arrived a moment earlier. */
    const struct sb_connector *checked;
};

struct webhook_result {
    int status;            /* HTTP status Teams answers for this case (200 on success) */
    int retry_after;       /* seconds, with 429 */
    char code[48];         /* machine code for JSON (workflow) answers */
    char message[512];     /* the text Teams answers (plain-text body) */
    struct sb_message msg; /* the stored message on success (release with store_message_free) */
    /* private to ingest.c: the write in progress */
    struct sb_delivery delivery;
    sb_err write_err;
    void (*done)(void *arg);
    void *done_arg;
};

/* Checks the URL, policy, rate limit and payload and starts the durable write of the message
 * with its delivery-log entry. Returns false when result is already final (a refusal, logged).
 * Returns true when the write was started: done(arg) then runs once, on the store's writer
 * thread, after the commit; call webhook_ingest_finish() after that. post and result must stay
 * valid until done runs. */
bool webhook_ingest_start(struct sb_ctx *ctx, const struct webhook_post *post,
                          struct webhook_result *result, void (*done)(void *arg), void *arg);
/* The first check webhook_ingest_start makes: whether url is a current URL of a live
 * configuration (found by its key, or by its id in URLs from before keys; of its kind;
 * correctly signed, or unsigned while unsignedWebhookUrlsAccepted is on; see
 * docs/webhooks.md for which URL reaches which webhook). Reads the store, writes nothing. On
 * false, result holds the refusal to answer. Run before the body is read, so that posts to
 * unknown or forged URLs are answered without holding their bodies. On true, *found (when
 * not NULL) gets the configuration, for webhook_post.checked. */
bool webhook_url_check(struct sb_ctx *ctx, const struct webhook_url *url,
                       struct webhook_result *result, struct sb_connector *found);
/* Completes a started ingestion (any thread but the writer's): sets the final status and
 * publishes the stored message to live subscribers. */
void webhook_ingest_finish(struct sb_ctx *ctx, struct webhook_result *result);

#endif
