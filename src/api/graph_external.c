/*
 * graph_external.c: Graph connectors' routes: /v1.0/external/connections (connections, schema,
 * operations, items, external groups and members), /v1.0/search/query, and
 * /v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='...').
 */
#include "api/api.h"

#include "core/config.h"
#include "graphconn/graphconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Answers err, or status with v (stolen; NULL = no content). */
static void answer(struct api_call *c, sb_err err, int status, json_t *v)
{
    if (err) {
        json_decref(v);
        api_fail(c, err);
    } else if (v) {
        api_json(c, status, v);
    } else {
        c->resp->status = status;
    }
}

void api_ext_connection_create(struct api_call *c)
{
    struct sb_gc_connection conn;
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_connection_create(c->ctx, c->who, body, http_header(c->req, "GraphConnectors-Ticket"),
                               &conn, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Location", "%s/v1.0/external/connections/%s",
                         c->ctx->cfg->public_url, conn.id);
    api_json(c, 201, gc_render_connection(&conn));
    gc_connection_free(&conn);
}

void api_ext_connection_list(struct api_call *c)
{
    struct sb_gc_connection *all = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    if ((err = gc_connection_list(c->ctx, c->who, &all, &n, &c->diag))) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, gc_render_connection(&all[i]));
    gc_connection_free_array(all, n);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_ext_connection_get(struct api_call *c)
{
    struct sb_gc_connection conn;
    sb_err err;

    err = gc_connection_find(c->ctx, c->who, SB_ACT_EXTERNAL_CONNECTION, api_param(c, 0), &conn,
                             &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, gc_render_connection(&conn));
    gc_connection_free(&conn);
}

void api_ext_connection_patch(struct api_call *c)
{
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_connection_patch(c->ctx, c->who, api_param(c, 0), body, &c->diag);
    json_decref(body);
    answer(c, err, 204, NULL);
}

/* 202: Graph deletes connections asynchronously; here the deletion is done when we answer. */
void api_ext_connection_delete(struct api_call *c)
{
    answer(c, gc_connection_delete(c->ctx, c->who, api_param(c, 0), &c->diag), 202, NULL);
}

void api_ext_schema_register(struct api_call *c)
{
    char op_id[SB_ID_LEN + 1];
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_schema_register(c->ctx, c->who, api_param(c, 0), body, op_id, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Location", "%s/v1.0/external/connections/%s/operations/%s",
                         c->ctx->cfg->public_url, api_param(c, 0), op_id);
    c->resp->status = 202;
}

void api_ext_schema_get(struct api_call *c)
{
    struct sb_gc_connection conn;
    json_t *schema = NULL;
    sb_err err;

    if ((err = gc_connection_find(c->ctx, c->who, SB_ACT_EXTERNAL_CONNECTION, api_param(c, 0),
                                  &conn, &c->diag))) {
        api_fail(c, err);
        return;
    }
    if (conn.schema)
        schema = json_loads(conn.schema, 0, NULL);
    gc_connection_free(&conn);
    if (!schema) {
        api_failf(c, SB_ERR_NOT_FOUND, "NotFound", "connection '%s' has no schema yet",
                  api_param(c, 0));
        return;
    }
    json_object_set_new(schema, "@odata.type",
                        json_string("#microsoft.graph.externalConnectors.schema"));
    api_json(c, 200, schema);
}

void api_ext_operation_get(struct api_call *c)
{
    json_t *op = NULL;
    sb_err err;

    err = gc_operation_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &op, &c->diag);
    answer(c, err, 200, op);
}

static void item_put(struct api_call *c, bool patch)
{
    struct sb_gc_connection conn;
    json_t *body, *out = NULL;
    int retry = 1;
    sb_err err;

    err =
        gc_connection_find(c->ctx, c->who, SB_ACT_EXTERNAL_ITEM, api_param(c, 0), &conn, &c->diag);
    if (!err) {
        err = gc_item_rate(c->ctx, &conn, &retry, &c->diag);
        gc_connection_free(&conn);
    }
    if (err == SB_ERR_THROTTLED)
        http_response_header(c->resp, "Retry-After", "%d", retry);
    if (err) {
        api_fail(c, err);
        return;
    }
    if (!(body = api_body_object(c)))
        return;
    err =
        gc_item_put(c->ctx, c->who, api_param(c, 0), api_param(c, 1), body, patch, &out, &c->diag);
    json_decref(body);
    answer(c, err, 200, out);
}

void api_ext_item_put(struct api_call *c)
{
    item_put(c, false);
}

void api_ext_item_patch(struct api_call *c)
{
    item_put(c, true);
}

void api_ext_item_get(struct api_call *c)
{
    json_t *out = NULL;
    sb_err err;

    err = gc_item_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &out, &c->diag);
    answer(c, err, 200, out);
}

void api_ext_item_delete(struct api_call *c)
{
    answer(c, gc_item_delete(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &c->diag), 204,
           NULL);
}

void api_ext_group_create(struct api_call *c)
{
    json_t *body, *out = NULL;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_group_create(c->ctx, c->who, api_param(c, 0), body, &out, &c->diag);
    json_decref(body);
    answer(c, err, 201, out);
}

void api_ext_group_get(struct api_call *c)
{
    json_t *out = NULL;
    sb_err err;

    err = gc_group_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &out, &c->diag);
    answer(c, err, 200, out);
}

void api_ext_group_patch(struct api_call *c)
{
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_group_patch(c->ctx, c->who, api_param(c, 0), api_param(c, 1), body, &c->diag);
    json_decref(body);
    answer(c, err, 204, NULL);
}

void api_ext_group_delete(struct api_call *c)
{
    answer(c, gc_group_delete(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &c->diag), 204,
           NULL);
}

void api_ext_member_add(struct api_call *c)
{
    json_t *body, *out = NULL;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_member_add(c->ctx, c->who, api_param(c, 0), api_param(c, 1), body, &out, &c->diag);
    json_decref(body);
    answer(c, err, 201, out);
}

void api_ext_member_list(struct api_call *c)
{
    json_t *out = NULL;
    sb_err err;

    err = gc_member_list(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &out, &c->diag);
    answer(c, err, 200, out);
}

void api_ext_member_remove(struct api_call *c)
{
    answer(c,
           gc_member_remove(c->ctx, c->who, api_param(c, 0), api_param(c, 1), api_param(c, 2),
                            &c->diag),
           204, NULL);
}

void api_search_query(struct api_call *c)
{
    json_t *body, *out = NULL;
    char context[700];
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = gc_search(c->ctx, c->who, body, &out, &c->diag);
    json_decref(body);
    if (!err) {
        snprintf(context, sizeof(context),
                 "%s/v1.0/$metadata#Collection(microsoft.graph.searchResponse)",
                 c->ctx->cfg->public_url);
        json_object_set_new(out, "@odata.context", json_string(context));
    }
    answer(c, err, 200, out);
}

/* GET /v1.0/tenantRelationships/findTenantInformationByTenantId(tenantId='<id>'): answers for
 * this installation's tenant; any other id is not found. */
void api_tenant_information(struct api_call *c)
{
    const char *fn = api_param(c, 0);
    static const char prefix[] = "findTenantInformationByTenantId(tenantId='";
    char id[SB_ID_LEN + 1];
    json_t *out = NULL;
    size_t n = strlen(fn);
    sb_err err;

    if (strncmp(fn, prefix, sizeof(prefix) - 1) != 0 || n < sizeof(prefix) + 1 ||
        strcmp(fn + n - 2, "')") != 0 || n - (sizeof(prefix) - 1) - 2 > SB_ID_LEN) {
        api_failf(c, SB_ERR_NOT_FOUND, "NotFound", "no such resource: %s", c->req->path);
        return;
    }
    snprintf(id, sizeof(id), "%.*s", (int)(n - (sizeof(prefix) - 1) - 2), fn + sizeof(prefix) - 1);
    err = gc_tenant_information(c->ctx, c->who, id, &out, &c->diag);
    answer(c, err, 200, out);
}
