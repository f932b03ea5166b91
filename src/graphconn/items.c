/*
 * items.c: external items (PUT/GET/PATCH/DELETE .../items/{id}) and the ingestion rate.
 *
 * An item is written only when its whole body passes item_check.c (properties against the
 * connection's registered schema, content, ACL); PATCH first merges what it names with the
 * stored item and checks the result the same way. The searchable properties' text and the
 * content (HTML reduced to its text) go to the full-text index; the ACL entries become
 * principal keys the search trims by. External groups are in groups.c.
 */
#include "graphconn/items_internal.h"

#include "core/ids.h"
#include "core/json.h"
#include "webhooks/ratelimit.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

/* Item and external group ids: letters, digits, '-' and '_' (Graph documents alphanumeric
 * ids; the two separators are accepted because connector samples use them). */
bool gc_valid_id(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > SB_GC_ITEM_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

sb_err gc_item_rate(struct sb_ctx *ctx, const struct sb_gc_connection *c, int *retry_after_s,
                    struct sb_diag *diag)
{
    char key[48];

    if (!ctx->gc_item_limiter)
        return SB_OK;
    snprintf(key, sizeof(key), "gc%lld", (long long)c->pk);
    if (webhook_limiter_take(ctx->gc_item_limiter, key, sb_now_ms(ctx), retry_after_s))
        return SB_OK;
    return sb_fail(diag, SB_ERR_THROTTLED, "TooManyRequests",
                   "too many items for connection %s: retry after %d s", c->id, *retry_after_s);
}

/* The connection, which must be the caller's and have a schema. */
static sb_err ready_connection(struct sb_ctx *ctx, const struct sb_principal *who,
                               const char *conn_id, struct sb_gc_connection *c, json_t **schema,
                               struct sb_diag *diag)
{
    sb_err err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_ITEM, conn_id, c, diag);

    *schema = NULL;
    if (err)
        return err;
    if (!c->schema) {
        store_gc_connection_free(c);
        return FAIL("connection %s has no registered schema yet: register one and wait for the "
                    "operation to complete",
                    conn_id);
    }
    if (!(*schema = json_loads(c->schema, 0, NULL))) {
        store_gc_connection_free(c);
        return SB_ERR_NOMEM;
    }
    return SB_OK;
}

static json_t *render_item(const struct sb_gc_item *it)
{
    json_t *props = json_loads(it->properties, 0, NULL), *acl = json_loads(it->acl, 0, NULL);

    return json_pack("{s:s,s:s,s:o,s:{s:s,s:s},s:o}", "@odata.type",
                     "#microsoft.graph.externalConnectors.externalItem", "id", it->id, "properties",
                     props ? props : json_object(), "content", "value",
                     it->content ? it->content : "", "type", it->content_type, "acl",
                     acl ? acl : json_array());
}

sb_err gc_item_put(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t *body, bool patch, json_t **out,
                   struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_item old = {0}, it = {0};
    struct store_gc_ace *aces = NULL;
    json_t *schema = NULL, *norm = NULL, *props, *acl, *content, *idv, *merged = NULL;
    const char *cvalue, *ctype;
    char *title = NULL, *text = NULL, *acl_text = NULL, *props_text = NULL;
    size_t nacl = 0;
    bool created = false;
    sb_err err;

    *out = NULL;
    if ((err = ready_connection(ctx, who, conn_id, &c, &schema, diag)))
        return err;
    if (!gc_valid_id(item_id)) {
        err = FAIL("the item id must be 1 to %d letters, digits, '-' or '_'", SB_GC_ITEM_MAX);
        goto out;
    }
    idv = json_object_get(body, "id");
    if (idv && !json_is_null(idv) &&
        (!json_is_string(idv) || strcmp(json_string_value(idv), item_id) != 0)) {
        err = FAIL("id in the body must be the item id of the URL");
        goto out;
    }
    props = json_object_get(body, "properties");
    acl = json_object_get(body, "acl");
    content = json_object_get(body, "content");
    if (patch) {
        err = store_gc_item_get(ctx->store, c.pk, item_id, &old);
        if (err == SB_ERR_NOT_FOUND)
            sb_fail(diag, err, "NotFound", "item '%s' not found", item_id);
        if (err)
            goto out;
        /* PATCH replaces what it names, whole: the property bag, the ACL, the content. */
        if (!(merged = json_object())) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        json_object_set_new(merged, "properties",
                            props ? json_incref(props) : json_loads(old.properties, 0, NULL));
        json_object_set_new(merged, "acl", acl ? json_incref(acl) : json_loads(old.acl, 0, NULL));
        json_object_set_new(
            merged, "content",
            content ? json_incref(content)
                    : json_pack("{s:s,s:s}", "value", old.content, "type", old.content_type));
        props = json_object_get(merged, "properties");
        acl = json_object_get(merged, "acl");
        content = json_object_get(merged, "content");
    }
    if ((err = gc_item_check_properties(props, schema, &norm, &title, diag)) ||
        (err = gc_item_check_content(content, &cvalue, &ctype, diag)) ||
        (err = gc_item_check_acl(acl, c.pk, &aces, &nacl, diag)))
        goto out;
    if (!(text = strcmp(ctype, "html") == 0 ? gc_item_html_text(cvalue) : strdup(cvalue))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = sb_json_dump(norm, &props_text)) || (err = sb_json_dump(acl, &acl_text)))
        goto out;
    it.conn_pk = c.pk;
    snprintf(it.id, sizeof(it.id), "%s", item_id);
    it.properties = props_text;
    it.content = (char *)cvalue;
    snprintf(it.content_type, sizeof(it.content_type), "%s", ctype);
    it.acl = acl_text;
    sb_time_now(ctx, it.updated);
    if ((err = store_gc_item_put(ctx->store, &it, aces, nacl, title, text, &created)))
        goto out;
    *out = render_item(&it);
    if (!*out)
        err = SB_ERR_NOMEM;
out:
    json_decref(schema);
    json_decref(norm);
    json_decref(merged);
    free(aces);
    free(title);
    free(text);
    free(acl_text);
    free(props_text);
    store_gc_item_free(&old);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_item_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                   const char *item_id, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_item it = {0};
    sb_err err;

    *out = NULL;
    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_ITEM, conn_id, &c, diag)))
        return err;
    err = store_gc_item_get(ctx->store, c.pk, item_id, &it);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "item '%s' not found", item_id);
    if (!err && !(*out = render_item(&it)))
        err = SB_ERR_NOMEM;
    store_gc_item_free(&it);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_item_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                      const char *item_id, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    sb_err err;

    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_ITEM, conn_id, &c, diag)))
        return err;
    err = store_gc_item_delete(ctx->store, c.pk, item_id);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "item '%s' not found", item_id);
    store_gc_connection_free(&c);
    return err;
}
