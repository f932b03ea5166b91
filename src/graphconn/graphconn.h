/*
 * graphconn.h: Graph connectors (Microsoft Graph external connections) on Switchboard.
 *
 * An app registration (a client id and secret an administrator creates, linked to a catalog app)
 * gets application tokens with the roles ExternalConnection.ReadWrite.OwnedBy and
 * ExternalItem.ReadWrite.OwnedBy. With them it creates external connections, registers their
 * schema (an asynchronous operation: inprogress, then completed or failed; a completed one
 * makes the connection ready), ingests items with ACLs and manages external groups. An app sees
 * only the connections it created: others' are 404. People search the items of ready
 * connections; the store trims results by ACL (a grant matching the person, no deny matching
 * them), so paging is exact.
 *
 * The rules (ids, names, types, labels, annotations, limits) are in docs/graph-connectors.md.
 * Every refusal is SB_ERR_INVALID etc. with a diag naming the field and the rule; nothing is
 * changed then.
 *
 * Cache: gc_limiter (struct sb_ctx.gc_item_limiter) is the per-connection item ingestion
 * bucket, in process memory.
 */
#ifndef SB_GRAPHCONN_H
#define SB_GRAPHCONN_H

#include "auth/auth.h"
#include "auth/perm.h"
#include "model/apps.h"
#include "model/graphconn.h"
#include "model/outbox.h"

#include <jansson.h>

#define GC_CONNECTIONS_MAX 30 /* per installation (the tenant) */
#define GC_SCHEMA_PROPERTIES_MAX 128
#define GC_ITEM_BYTES_MAX 4000000 /* an item's request body (4 MB, as Graph) */
#define GC_SEARCH_SIZE_MAX 500    /* hits per page */
/* Permitted matches a search counts for its total (beyond: at least this many). Each counted
 * match costs an ACL check: counting them all made the count of a common word at 1,000,000
 * items as slow as the rest of the search (docs/bench.md). */
#define GC_SEARCH_COUNT_MAX 1000

/* ---- connections (connections.c) ---- */

/* Every function with a principal asks sb_can first: SB_ACT_EXTERNAL_CONNECTION for
 * connections, schemas and operations, SB_ACT_EXTERNAL_ITEM for items, groups and their
 * members (app tokens with the matching role only), SB_ACT_SEARCH for search. */

/* ticket: the GraphConnectors-Ticket header (NULL when absent). */
sb_err gc_connection_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                            const char *ticket, struct sb_gc_connection *out, struct sb_diag *diag);
/* The caller's connection id, for action (SB_ACT_EXTERNAL_CONNECTION or _ITEM): SB_ERR_NOT_FOUND
 * when absent or another app's. */
sb_err gc_connection_find(struct sb_ctx *ctx, const struct sb_principal *who, enum sb_action action,
                          const char *id, struct sb_gc_connection *out, struct sb_diag *diag);
sb_err gc_connection_patch(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct sb_diag *diag);
sb_err gc_connection_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                            struct sb_diag *diag);
json_t *gc_render_connection(const struct sb_gc_connection *c);
/* The connections who owns (heap array: gc_connection_free_array). */
sb_err gc_connection_list(struct sb_ctx *ctx, const struct sb_principal *who,
                          struct sb_gc_connection **out, size_t *n, struct sb_diag *diag);
void gc_connection_free(struct sb_gc_connection *c);
void gc_connection_free_array(struct sb_gc_connection *c, size_t n);

/* The tenantInformation resource of tenant_id when it is this installation's tenant
 * (SB_ACT_TENANT_READ; any other id is SB_ERR_NOT_FOUND) (tenant.c). */
sb_err gc_tenant_information(struct sb_ctx *ctx, const struct sb_principal *who,
                             const char *tenant_id, json_t **out, struct sb_diag *diag);

/* ---- schema (schema.c) ---- */

/* Validates a schema body and returns its normalised form (canonical type names, booleans). */
sb_err gc_schema_normalise(json_t *body, json_t **out, struct sb_diag *diag);
/* Starts registering the schema of the caller's connection id: op_id receives the operation's
 * id. The operation and the outbox job that runs it off the request path (gc_schema_apply)
 * are stored in one transaction. */
sb_err gc_schema_register(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          json_t *body, char *op_id, struct sb_diag *diag);
/* The outbox job that runs operation op_id, and its payload text (heap), not yet stored. */
sb_err gc_schema_job(struct sb_ctx *ctx, const char *op_id, struct sb_outbox_job *job,
                     char **payload);
/* Runs operation op_id: a schema may only add properties to the registered one (items were
 * validated against it); otherwise the operation fails with the reason. */
sb_err gc_schema_apply(struct sb_ctx *ctx, const char *op_id);
/* The operation of the caller's connection. */
sb_err gc_operation_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                        const char *op_id, json_t **out, struct sb_diag *diag);

/* ---- items (items.c, their checks in item_check.c) ---- */

/* PUT (replace) or PATCH (merge: properties and acl replace theirs when present). */
sb_err gc_item_put(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t *body, bool patch, json_t **out,
                   struct sb_diag *diag);
sb_err gc_item_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t **out, struct sb_diag *diag);
sb_err gc_item_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *item_id, struct sb_diag *diag);
/* Ingestion rate: SB_ERR_THROTTLED with *retry_after_s when the connection's bucket is empty. */
sb_err gc_item_rate(struct sb_ctx *ctx, const struct sb_gc_connection *c, int *retry_after_s,
                    struct sb_diag *diag);

/* ---- external groups and their members (groups.c) ---- */

sb_err gc_group_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                       json_t *body, json_t **out, struct sb_diag *diag);
sb_err gc_group_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                    const char *group_id, json_t **out, struct sb_diag *diag);
sb_err gc_group_patch(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *group_id, json_t *body, struct sb_diag *diag);
sb_err gc_group_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                       const char *group_id, struct sb_diag *diag);
sb_err gc_member_add(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                     const char *group_id, json_t *body, json_t **out, struct sb_diag *diag);
sb_err gc_member_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *group_id, json_t **out, struct sb_diag *diag);
sb_err gc_member_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                        const char *group_id, const char *member_id, struct sb_diag *diag);

/* ---- administration (admin.c) and the connector notifications (notify.c) ---- */

#define GC_SECRET_LEN 48 /* "sbcs_" + 43 base64url characters */

/* Registers an app (body {displayName, appId?, certificate?}); certificate (PEM) adds a
 * certificate credential besides the secret; appId links it to a catalog app, whose
 * webApplicationInfo.id then becomes the client id (so the manifest, the tokens and the
 * notifications agree on one app id). secret receives the client secret (GC_SECRET_LEN + 1),
 * shown only now. */
sb_err gc_registration_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                              struct sb_gc_registration *out, char *secret, struct sb_diag *diag);
/* The registration of client_id (a GUID in any case); SB_ERR_UNAUTHORIZED when unknown. */
sb_err gc_registration_find(struct sb_ctx *ctx, const char *client_id,
                            struct sb_gc_registration *out);
/* Client secret check (constant time): SB_OK or SB_ERR_UNAUTHORIZED. */
sb_err gc_secret_check(const struct sb_gc_registration *reg, const char *secret);

/* ---- certificate credentials (assertion.c) ---- */

/* The RSA public key (>= 2048 bits) of a PEM certificate or public key, as PEM into out. */
sb_err gc_public_key_normalise(const char *pem, char *out, size_t cap, struct sb_diag *diag);
/* A client assertion (RFC 7523, RS256 or PS256) signed with the registration's key, for the
 * token endpoint at audience, with a jti: SB_OK (the jti is then used up), SB_ERR_UNAUTHORIZED,
 * or SB_ERR_CONFLICT when that jti was used before (a replay). */
sb_err gc_assertion_check(struct sb_ctx *ctx, const struct sb_gc_registration *reg,
                          const char *assertion, const char *audience);
sb_err gc_registration_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                              struct sb_diag *diag);
json_t *gc_render_registration(const struct sb_gc_registration *r);
/* Every registration (heap array: free()). */
sb_err gc_registration_list(struct sb_ctx *ctx, const struct sb_principal *who,
                            struct sb_gc_registration **out, size_t *n, struct sb_diag *diag);

/* The organisation catalog's apps with a graphConnector: {value:[{appId, connectorId,
 * displayName, notificationUrl, enabled, notification, registrations, connections}],
 * otherRegistrations:[...]}. */
sb_err gc_admin_list(struct sb_ctx *ctx, const struct sb_principal *who, json_t **out,
                     struct sb_diag *diag);
/* Turns the connector of catalog app app_id on or off: a new ticket, and a notification to the
 * app's notificationUrl through the outbox, the switch, the job and the audit entry in one
 * transaction. The app needs a registration. */
sb_err gc_switch_set(struct sb_ctx *ctx, const struct sb_principal *who, const char *app_id,
                     bool enabled, struct sb_gc_switch *out, struct sb_diag *diag);

/* The notification job of sw for app and its payload text (heap), not yet stored (notify.c);
 * sets sw->job_id. */
struct sb_app;
struct package_info;
sb_err gc_notify_job(struct sb_ctx *ctx, const struct sb_app *app, const struct package_info *info,
                     struct sb_gc_switch *sw, struct sb_outbox_job *job, char **payload,
                     struct sb_diag *diag);
/* The notification job's state for the admin page: {state, attempts, lastError, ...}. */
json_t *gc_notification_state(struct sb_ctx *ctx, const char *job_id);
/* Registers the outbox handlers (notifications, schema operations); main calls it once. */
sb_err gc_outbox_register(struct sb_ctx *ctx);

/* ---- application tokens (token.c) ---- */

#define GC_TOKEN_LIFETIME_S 3599

/* An OAuth 2.0 error answer: {error, error_description}. */
struct sb_oauth_error {
    char error[32];
    char description[1024];
};

/* What a client-credentials request presents: a secret, or a client assertion (assertion_type
 * urn:ietf:params:oauth:client-assertion-type:jwt-bearer) for the token endpoint `endpoint`
 * (the assertion's audience: the public URL and the request's path). */
struct gc_credentials {
    const char *client_id, *secret, *assertion_type, *assertion, *endpoint, *scope;
};

/* The client-credentials grant: checks the client and the scope ("<resource>/.default") and
 * signs an application token (*token heap). Refusals fill e: SB_ERR_INVALID (invalid_request,
 * invalid_scope) or SB_ERR_UNAUTHORIZED (invalid_client). */
sb_err gc_token_issue(struct sb_ctx *ctx, const struct gc_credentials *cr, char **token,
                      int *expires_in, struct sb_oauth_error *e);
/* Resolves an application token into a principal (is_app, roles); SB_ERR_UNAUTHORIZED when it
 * is not a valid token of a registered app for this installation. */
sb_err gc_authenticate(struct sb_ctx *ctx, const char *token, struct sb_principal *out);

/* ---- search (search.c) ---- */

/* POST /search/query for a person: body {requests:[...]}; *out is the Graph searchResponse
 * collection {value:[...]}. */
sb_err gc_search(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body, json_t **out,
                 struct sb_diag *diag);

#endif
