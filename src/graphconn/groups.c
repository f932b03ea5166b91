/*
 * groups.c: external groups of a connection (POST/GET/PATCH/DELETE .../groups/{id}) and their
 * members (users and groups by GUID, or other external groups of the same connection), which
 * item ACLs name as "externalGroup". Only the connection's own app reaches them: another app's
 * connection, or a group it does not have, is 404.
 */
#include "graphconn/items_internal.h"

#include "core/ids.h"
#include "core/json.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

static json_t *render_group(const struct sb_gc_group *g)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "@odata.type",
                     "#microsoft.graph.externalConnectors.externalGroup", "id", g->id,
                     "displayName", g->display_name, "description", g->description);
}

static sb_err group_fields(json_t *body, struct sb_gc_group *g, struct sb_diag *diag)
{
    const char *s;
    sb_err err;

    if ((err = sb_json_string(body, "displayName", false, sizeof(g->display_name) - 1, &s, diag)))
        return err;
    if (s)
        snprintf(g->display_name, sizeof(g->display_name), "%s", s);
    if ((err = sb_json_string(body, "description", false, sizeof(g->description) - 1, &s, diag)))
        return err;
    if (s)
        snprintf(g->description, sizeof(g->description), "%s", s);
    return SB_OK;
}

/* The connection (the caller's) and, when group_id is given, its group. */
static sb_err locate_group(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                           const char *group_id, struct sb_gc_connection *c, struct sb_gc_group *g,
                           struct sb_diag *diag)
{
    sb_err err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_ITEM, conn_id, c, diag);

    if (err || !group_id)
        return err;
    err = store_gc_group_get(ctx->store, c->pk, group_id, g);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "external group '%s' not found", group_id);
    if (err)
        store_gc_connection_free(c);
    return err;
}

sb_err gc_group_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                       json_t *body, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    const char *id;
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, NULL, &c, NULL, diag)))
        return err;
    if ((err = sb_json_string(body, "id", true, SB_GC_ITEM_MAX, &id, diag)))
        goto out;
    if (!gc_valid_id(id)) {
        err = FAIL("id must be 1 to %d letters, digits, '-' or '_'", SB_GC_ITEM_MAX);
        goto out;
    }
    g.conn_pk = c.pk;
    snprintf(g.id, sizeof(g.id), "%s", id);
    if ((err = group_fields(body, &g, diag)))
        goto out;
    err = store_gc_group_insert(ctx->store, &g);
    if (err == SB_ERR_CONFLICT)
        sb_fail(diag, err, "Conflict", "external group '%s' already exists", id);
    if (!err && !(*out = render_group(&g)))
        err = SB_ERR_NOMEM;
out:
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_group_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                    const char *group_id, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    if (!(*out = render_group(&g)))
        err = SB_ERR_NOMEM;
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_group_patch(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *group_id, json_t *body, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    sb_err err;

    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    if (!(err = group_fields(body, &g, diag)))
        err = store_gc_group_update(ctx->store, &g);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_group_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                       const char *group_id, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    sb_err err;

    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    err = store_gc_group_delete(ctx->store, c.pk, group_id);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_member_add(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                     const char *group_id, json_t *body, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    struct sb_gc_member m = {0};
    char key[SB_GC_ITEM_MAX + 48];
    const char *id, *type;
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    if ((err = sb_json_string(body, "id", true, SB_GC_ITEM_MAX, &id, diag)) ||
        (err = sb_json_string(body, "type", true, 16, &type, diag)))
        goto out;
    if ((!strcmp(type, "user") || !strcmp(type, "group")) && sb_id_valid(id)) {
        snprintf(key, sizeof(key), "%c:%s", type[0] == 'u' ? 'u' : 'g', id);
        for (char *k = key; *k; k++)
            *k = (char)tolower((unsigned char)*k);
    } else if (!strcmp(type, "externalGroup") && gc_valid_id(id)) {
        if (!strcmp(id, group_id)) {
            err = FAIL("an external group cannot be a member of itself");
            goto out;
        }
        snprintf(key, sizeof(key), "x:%lld:%s", (long long)c.pk, id);
    } else {
        err = FAIL("type must be user or group (with a GUID id) or externalGroup (with an "
                   "external group id)");
        goto out;
    }
    snprintf(m.id, sizeof(m.id), "%s", id);
    snprintf(m.type, sizeof(m.type), "%s", type);
    err = store_gc_member_add(ctx->store, c.pk, group_id, &m, key);
    if (err == SB_ERR_CONFLICT)
        sb_fail(diag, err, "Conflict", "'%s' is already a member", id);
    if (!err && !(*out = json_pack("{s:s,s:s,s:s}", "@odata.type",
                                   "#microsoft.graph.externalConnectors.identity", "id", m.id,
                                   "type", m.type)))
        err = SB_ERR_NOMEM;
out:
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_member_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *group_id, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    struct sb_gc_member *m = NULL;
    json_t *value;
    size_t n = 0;
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    if ((err = store_gc_member_list(ctx->store, c.pk, group_id, &m, &n)))
        goto out;
    if (!(value = json_array())) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        json_array_append_new(value, json_pack("{s:s,s:s}", "id", m[i].id, "type", m[i].type));
    if (!(*out = json_pack("{s:o}", "value", value)))
        err = SB_ERR_NOMEM;
out:
    free(m);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_member_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                        const char *group_id, const char *member_id, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_group g = {0};
    sb_err err;

    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    err = store_gc_member_remove(ctx->store, c.pk, group_id, member_id);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "member '%s' not found", member_id);
    store_gc_connection_free(&c);
    return err;
}
