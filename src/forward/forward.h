/*
 * forward.h: forwarding a channel onward (issue 24, contract §8).
 *
 * A forward is a destination on a channel: kind "workflows" (a Teams Workflows / Power
 * Automate trigger URL: POST of the message envelope with Adaptive Cards), "slack" (a
 * Slack-format incoming webhook: {text, blocks}) or "email" (through --smtp-url, multipart text
 * + HTML). Filters: people's messages (include.people, default false), which connector
 * configurations (include.connectors, default all), keywords (include.keywords: any of them in
 * the text, default none), MessageCard colours (include.colors: themeColor values, any of
 * them; default any).
 *
 * Every stored message is matched against its channel's forwards by the store, in the
 * message's own transaction, which writes a delivery and its outbox job per match (store/
 * forwards.h). The job (kind "forward") sends it: 2xx is delivered; 5xx, 429 (Retry-After
 * honoured), 408 and connection errors are retried with backoff (1 s doubling to 30 min) for 24
 * hours from the job's creation; other answers fail at once. Each attempt is recorded on the
 * delivery (status, attempts, httpStatus, error, the start of the response). A delivery can be
 * replayed (forward_retry). The destination URL is a secret: stored, used, never rendered.
 *
 * Management (create, list, read, change, delete, deliveries, retry) needs
 * SB_ACT_CONNECTOR_MANAGE on the channel (team owners; members when the team lets members
 * manage connectors); translate needs only a signed-in person.
 */
#ifndef SB_FORWARD_H
#define SB_FORWARD_H

#include "core/sb.h"
#include "model/forwards.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct outbox;
struct sb_principal;

/* The outbox kind of a delivery's job (store/forwards.h writes it). */
#define FORWARD_JOB_KIND "forward"
#define FORWARD_RETRY_WINDOW_MS (24LL * 60 * 60 * 1000)
#define FORWARD_MAX_PER_CHANNEL 32
#define FORWARD_MAX_RECIPIENTS 20
#define FORWARD_DELIVERIES_MAX 100

/* What a create or change asks for; absent (NULL / has_people false) = default or unchanged. */
struct forward_input {
    const char *name;
    const char *kind;
    const char *url;
    json_t *to; /* array of addresses (email) */
    bool has_people;
    bool people;
    json_t *connectors; /* array of configuration ids */
    json_t *keywords;   /* array of strings */
    json_t *colors;     /* array of themeColors ("#RRGGBB" or "RRGGBB") */
};

sb_err forward_register(struct outbox *ob);

sb_err forward_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *channel_id,
                      const struct forward_input *in, struct sb_forward *out, struct sb_diag *diag);
sb_err forward_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *channel_id,
                    struct sb_forward **out, size_t *n, struct sb_diag *diag);
sb_err forward_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_forward *out, struct sb_diag *diag);
sb_err forward_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                      const struct forward_input *in, struct sb_forward *out, struct sb_diag *diag);
sb_err forward_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                      struct sb_diag *diag);
sb_err forward_deliveries(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          size_t top, struct sb_forward_delivery **out, size_t *n,
                          struct sb_diag *diag);
sb_err forward_retry(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                     const char *delivery_id, struct sb_diag *diag);
/* The rendering of a forward for the API (never its URL). */
json_t *forward_render(const struct sb_forward *f);
json_t *forward_delivery_render(const struct sb_forward_delivery *d);
/* POST /api/v1/translate?to=adaptive: *out is the envelope's JSON text (heap). */
sb_err forward_translate(struct sb_ctx *ctx, const struct sb_principal *who, const char *body,
                         size_t len, char **out, struct sb_diag *diag);

#endif
