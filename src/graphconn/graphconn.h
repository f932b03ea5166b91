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
#include "store/store.h"

#include <jansson.h>

#define GC_CONNECTIONS_MAX 30 /* per installation (the tenant) */
#define GC_SCHEMA_PROPERTIES_MAX 128
#define GC_ITEM_BYTES_MAX 4000000 /* an item's request body (4 MB, as Graph) */
#define GC_SEARCH_SIZE_MAX 500    /* hits per page */

/* ---- connections (connections.c) ---- */

/* ticket: the GraphConnectors-Ticket header (NULL when absent). */
sb_err gc_connection_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                            const char *ticket, struct store_gc_connection *out,
                            struct sb_diag *diag);
/* The caller's connection id (SB_ERR_NOT_FOUND when absent or another app's). */
sb_err gc_connection_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          struct store_gc_connection *out, struct sb_diag *diag);
sb_err gc_connection_patch(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct sb_diag *diag);
sb_err gc_connection_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                            struct sb_diag *diag);
json_t *gc_render_connection(const struct store_gc_connection *c);

/* ---- schema (schema.c) ---- */

/* Validates a schema body and returns its normalised form (canonical type names, booleans). */
sb_err gc_schema_normalise(json_t *body, json_t **out, struct sb_diag *diag);
/* Starts registering the schema of the caller's connection id: op_id receives the operation's
 * id. The operation finishes through gc_schema_apply. */
sb_err gc_schema_register(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          json_t *body, char *op_id, struct sb_diag *diag);
/* Has operation op_id run (gc_schema_apply) off the request path. */
sb_err gc_schema_start(struct sb_ctx *ctx, const char *op_id);
/* Runs operation op_id: a schema may only add properties to the registered one (items were
 * validated against it); otherwise the operation fails with the reason. */
sb_err gc_schema_apply(struct sb_ctx *ctx, const char *op_id);
/* The operation of the caller's connection. */
sb_err gc_operation_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                        const char *op_id, json_t **out, struct sb_diag *diag);

/* ---- items and external groups (items.c) ---- */

/* PUT (replace) or PATCH (merge: properties and acl replace theirs when present). */
sb_err gc_item_put(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t *body, bool patch, json_t **out,
                   struct sb_diag *diag);
sb_err gc_item_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t **out, struct sb_diag *diag);
sb_err gc_item_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *item_id, struct sb_diag *diag);
/* Ingestion rate: SB_ERR_THROTTLED with *retry_after_s when the connection's bucket is empty. */
sb_err gc_item_rate(struct sb_ctx *ctx, const struct store_gc_connection *c, int *retry_after_s,
                    struct sb_diag *diag);

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

/* ---- search (search.c) ---- */

/* POST /search/query for a person: body {requests:[...]}; *out is the Graph searchResponse
 * collection {value:[...]}. */
sb_err gc_search(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body, json_t **out,
                 struct sb_diag *diag);
/* Wraps every occurrence of a term (case-insensitive, at word starts) in <c0>..</c0> within an
 * excerpt of text around the first one; longer text is cut at word boundaries and the cuts
 * marked <ddd/>. Markup-significant characters of text are not escaped (the summary is text
 * with highlight tags, as Graph's). *out is heap. */
sb_err gc_highlight(const char *text, const char *const *terms, size_t nterms, size_t max,
                    char **out);

#endif
