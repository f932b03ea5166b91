/*
 * services.h: built-in service connectors. A service connector configuration is a row of the
 * connectors table with its own kind ("github", "gitlab", "alertmanager", "template") and its
 * settings JSON; it accepts the service's native webhook payload at
 *
 *   {public-url}/connectors/{kind}/{configuration-id}/{signature}
 *
 * (the signature is the webhook URL MAC, so even an URL without a shared secret cannot be
 * guessed), turns it into a MessageCard and stores it through the incoming-webhook path
 * (policy, rate limit, delivery log, durable write, live event).
 *
 * Settings (JSON object, stored as text):
 *   github:       {secret, events:[...], branches:[...]}   X-Hub-Signature-256 is required
 *   gitlab:       {secret, events:[...], branches:[...]}   X-Gitlab-Token must equal the secret
 *   alertmanager: {}                                       the URL signature is the credential
 *   template:     {template}                               see services/template.h
 * events: the event names the configuration posts (empty: all it knows); branches: glob
 * patterns (fnmatch) for the events that carry a branch (empty: every branch).
 *
 * Payload to card: service_card() decides, for one post, whether it is refused (bad signature,
 * unreadable JSON), acknowledged without a message (ping, filtered or unknown events: the
 * delivery log says which) or turned into a card.
 */
#ifndef SB_SERVICES_H
#define SB_SERVICES_H

#include "auth/auth.h"
#include "model/connectors.h"
#include "model/teams.h"
#include "webhooks/webhooks.h"

#include <jansson.h>
#include <stdbool.h>

/* Native payloads are not cards: GitHub sends up to 25 MB; we keep 1 MiB. The card made from
 * them is checked against --max-payload like any webhook post. */
#define SERVICE_BODY_MAX (1024 * 1024)
#define SERVICE_SECRET_MAX 256

/* The kinds, with the catalog id of each. NULL when kind is not a service connector. */
const char *service_connector_id(const char *kind);
/* The kind of a catalog id; NULL when the id is not a service connector. */
const char *service_kind_of(const char *connector_id);
bool service_is_kind(const char *kind);
/* The kind's icon, a path under the public URL (the web root serves it). A configuration's
 * avatar redirects there, so its messages show it as the sender's picture. */
const char *service_icon(const char *kind);

/* Creates a configuration from the request body {kind, name, secret?, events?, branches?,
 * template?}, with its "serviceConnector.create" audit entry in the same transaction. GitHub and
 * GitLab get a generated secret when none is given. */
sb_err service_create(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_channel *ch, json_t *body, struct sb_connector *out,
                      struct sb_diag *diag);

/* Applies {secret?, events?, branches?, template?} of a PATCH body to the configuration's
 * settings; *changed tells whether anything was given. When it was, name (not NULL) is stored
 * with the settings, and the audit entries by who ("serviceConnector.settings", and
 * "connector.update" for a new name), all in one transaction: a PATCH of both applies whole or
 * not at all. */
sb_err service_update(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_connector *c, json_t *body, const char *name, bool *changed,
                      struct sb_diag *diag);

/* Adds url and the settings (secret included: the manager pastes it into the service) to a
 * rendered configuration. */
sb_err service_render(struct sb_ctx *ctx, const struct sb_connector *c, json_t *o);

/* The configuration's ingest URL. */
sb_err service_url(const struct sb_ctx *ctx, const struct sb_connector *c, char *url, size_t cap);

/* What the service sent besides the body. */
struct service_headers {
    const char *event;        /* X-GitHub-Event / X-Gitlab-Event */
    const char *signature;    /* X-Hub-Signature-256 */
    const char *token;        /* X-Gitlab-Token */
    const char *content_type; /* GitHub may send application/x-www-form-urlencoded payload=... */
};

enum service_outcome {
    SERVICE_POST = 1, /* *card is set */
    SERVICE_IGNORE,   /* acknowledged, nothing posted; why says what */
    SERVICE_REFUSE,   /* *status and why say what */
};

/* Turns one post into a card (heap JSON text in *card). */
enum service_outcome service_card(const struct sb_connector *c, const char *settings,
                                  const struct service_headers *h, const char *body, size_t len,
                                  char **card, int *status, char *why, size_t why_cap);

/* What webhook_ingest_start calls for a service URL (struct webhook_transform's fn): loads
 * the configuration's settings and runs service_card. arg is a struct service_request. */
struct service_request {
    struct sb_ctx *ctx;
    struct service_headers headers;
};
enum webhook_transform_outcome service_transform(void *arg, const struct sb_connector *c,
                                                 const char *body, size_t len, char **card,
                                                 int *status, char *why, size_t why_cap);

/* The template connector's preview: template (a JSON value) applied to sample -> *card. */
sb_err service_template_card(const json_t *tmpl, const json_t *sample, json_t **card,
                             struct sb_diag *diag);
/* The preview the configuration dialog shows (any signed-in person): the template's card for
 * sample, checked as a webhook post is (preview.c). */
sb_err service_preview(struct sb_ctx *ctx, const struct sb_principal *who, const json_t *tmpl,
                       const json_t *sample, json_t **card, struct sb_diag *diag);

#endif
