/*
 * actions.h: actionable messages. A person clicks an action of a connector's card in the web
 * client; the server (never the browser) calls the sender's service.
 *
 * Accepting a click (actions_accept, on the HTTP thread, no network):
 *   - the message must be a connector's, the action must be an HttpPOST / Action.Http of its
 *     stored card (card_actions.h names it by attachment id and JSON Pointer); the body is the
 *     card's template with the person's inputs substituted, escaped for the body's type;
 *   - the target must be https, or http for a host:port an administrator listed in
 *     outboundAllowedHosts; for a connector app configuration (kind "app") its host must also
 *     be one of the app's validDomains; incoming webhooks have no registered domains, so only
 *     the outbound rules apply to their cards;
 *   - at most ACTIONS_PER_MINUTE clicks per person and minute (counted in the database, so for
 *     every server process at once): SB_ERR_THROTTLED;
 *   - the execution row and its outbox job are stored in one transaction before the answer.
 * Running it (the outbox worker, kind ACTIONS_JOB_KIND): policy is checked again, a token is
 * signed (jwt.h) and fetch_do() posts with `Authorization: Bearer <token>` (or
 * `Action-Authorization` when the card sets an empty Authorization header), time-out
 * ACTIONS_TIMEOUT_MS, response limit ACTIONS_MAX_RESPONSE, no redirects, no private addresses
 * unless allowed. The result: `CARD-ACTION-STATUS` is kept for the person, a 2xx with
 * `CARD-UPDATE-IN-BODY: true` replaces the card (everyone sees it live), and every run is
 * written to the configuration's delivery log. A connection that could not be made is retried
 * (ACTIONS_ATTEMPTS in all); anything after the request was sent is not, as the service may
 * have acted.
 *
 * Token claims: iss = the public URL, aud = the target's origin, sub and oid = the person's
 * id, upn, name, tid = the tenant, sender = the configuration id that posted the card,
 * connectorId, messageId, actionId, jti = the execution id, iat/nbf/exp (ACTIONS_TOKEN_TTL_S).
 */
#ifndef SB_ACTIONS_H
#define SB_ACTIONS_H

#include "auth/auth.h"
#include "core/sb.h"
#include "model/actions.h"

#include <jansson.h>

#define ACTIONS_JOB_KIND "cardAction"
#define ACTIONS_PER_MINUTE 30
#define ACTIONS_TIMEOUT_MS 10000
#define ACTIONS_MAX_RESPONSE (256 * 1024)
#define ACTIONS_TOKEN_TTL_S 300
#define ACTIONS_ATTEMPTS 3
#define ACTIONS_INPUTS_MAX 64
#define ACTIONS_INPUT_MAX 8192 /* bytes of one input value */

struct outbox;

/* Accepts a click (see above). inputs: {id: string} or NULL. */
sb_err actions_accept(struct sb_ctx *ctx, const struct sb_principal *who, const char *message_id,
                      const char *action_id, json_t *inputs, struct sb_action_execution *out,
                      struct sb_diag *diag);

/* The caller's own execution id (anyone else's is NOT_FOUND, with its sentence in diag). */
sb_err actions_execution_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                             struct sb_action_execution *out, struct sb_diag *diag);

/* {id, status, httpStatus, cardActionStatus, error, cardUpdated, createdDateTime,
 * lastModifiedDateTime, messageId, actionId}. */
json_t *actions_execution_json(const struct sb_action_execution *e);

/* Registers the outbox handler that runs executions. */
sb_err actions_register(struct outbox *ob);

#endif
