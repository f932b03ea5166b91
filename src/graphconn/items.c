/*
 * items.c: external items (PUT/GET/PATCH/DELETE .../items/{id}) and external groups with their
 * members.
 *
 * Properties are checked against the connection's registered schema: known names (compared
 * without regard to case, stored under the schema's spelling), the JSON type each schema type
 * needs, ISO 8601 dates, and the OData annotations (name@odata.type) Graph requires on
 * collections. The searchable properties' text and the content (HTML reduced to its text) go
 * to the full-text index; the ACL entries become principal keys the search trims by.
 */
#include "graphconn/graphconn.h"

#include "core/ids.h"
#include "core/json.h"
#include "webhooks/ratelimit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define ACL_MAX 1000

/* Item and external group ids: letters, digits, '-' and '_' (Graph documents alphanumeric
 * ids; the two separators are accepted because connector samples use them). */
static bool valid_id(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > STORE_GC_ITEM_MAX)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

sb_err gc_item_rate(struct sb_ctx *ctx, const struct store_gc_connection *c, int *retry_after_s,
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
                               const char *conn_id, struct store_gc_connection *c, json_t **schema,
                               struct sb_diag *diag)
{
    sb_err err = gc_connection_find(ctx, who, conn_id, c, diag);

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

static json_t *schema_property(json_t *schema, const char *name)
{
    json_t *props = json_object_get(schema, "properties");

    for (size_t i = 0; i < json_array_size(props); i++) {
        json_t *p = json_array_get(props, i);

        if (!strcasecmp(json_string_value(json_object_get(p, "name")), name))
            return p;
    }
    return NULL;
}

/* The annotation that matches a schema type, without "#"/"Edm." prefixes. */
static const char *annotation_of(const char *type)
{
    if (!strcmp(type, "string"))
        return "String";
    if (!strcmp(type, "int64"))
        return "Int64";
    if (!strcmp(type, "double"))
        return "Double";
    if (!strcmp(type, "dateTime"))
        return "DateTimeOffset";
    if (!strcmp(type, "boolean"))
        return "Boolean";
    if (!strcmp(type, "stringCollection"))
        return "Collection(String)";
    if (!strcmp(type, "int64Collection"))
        return "Collection(Int64)";
    if (!strcmp(type, "doubleCollection"))
        return "Collection(Double)";
    return "Collection(DateTimeOffset)";
}

static bool annotation_matches(const char *given, const char *want)
{
    if (*given == '#')
        given++;
    if (!strncasecmp(given, "Edm.", 4))
        given += 4;
    if (!strncasecmp(given, "Collection(Edm.", 15) && !strncasecmp(want, "Collection(", 11))
        return !strcasecmp(given + 15, want + 11);
    return !strcasecmp(given, want);
}

static bool scalar_ok(const char *base, json_t *v)
{
    int64_t ms;

    if (!strcmp(base, "string"))
        return json_is_string(v);
    if (!strcmp(base, "int64"))
        return json_is_integer(v);
    if (!strcmp(base, "double"))
        return json_is_number(v);
    if (!strcmp(base, "boolean"))
        return json_is_boolean(v);
    return json_is_string(v) && sb_time_parse(json_string_value(v), &ms) == SB_OK;
}

static const char *type_words(const char *base)
{
    if (!strcmp(base, "string"))
        return "a string";
    if (!strcmp(base, "int64"))
        return "an integer";
    if (!strcmp(base, "double"))
        return "a number";
    if (!strcmp(base, "boolean"))
        return "true or false";
    return "an ISO 8601 date and time";
}

static sb_err append_text(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = strlen(s);

    if (*len + n + 2 > *cap) {
        size_t ncap = (*len + n + 2) * 2;
        char *p = realloc(*buf, ncap);

        if (!p)
            return SB_ERR_NOMEM;
        *buf = p;
        *cap = ncap;
    }
    if (*len)
        (*buf)[(*len)++] = '\n';
    memcpy(*buf + *len, s, n + 1);
    *len += n;
    return SB_OK;
}

/* Checks properties against the schema; *norm gets them under the schema's names and *title
 * the searchable text. */
static sb_err check_properties(json_t *props, json_t *schema, json_t **norm, char **title,
                               struct sb_diag *diag)
{
    const char *key;
    json_t *v;
    size_t len = 0, cap = 0;
    sb_err err = SB_OK;

    *norm = NULL;
    *title = NULL;
    if (!json_is_object(props) || json_object_size(props) == 0)
        return FAIL("properties must be an object with at least one property");
    if (!(*norm = json_object()))
        return SB_ERR_NOMEM;
    json_object_foreach(props, key, v)
    {
        const char *at = strchr(key, '@'), *type, *base;
        char name[64], basebuf[16];
        json_t *sp, *ann;
        bool coll;

        if (at) {
            if (strcmp(at, "@odata.type") != 0) {
                err = FAIL("properties: %s is not a property or an @odata.type annotation", key);
                goto out;
            }
            snprintf(name, sizeof(name), "%.*s", (int)(at - key), key);
            if (!schema_property(schema, name)) {
                err = FAIL("properties: %s annotates %s, which is not in the schema", key, name);
                goto out;
            }
            continue;
        }
        if (!(sp = schema_property(schema, key))) {
            err = FAIL("properties: %s is not in the connection's schema", key);
            goto out;
        }
        type = json_string_value(json_object_get(sp, "type"));
        coll = strstr(type, "Collection") != NULL;
        snprintf(basebuf, sizeof(basebuf), "%.*s",
                 (int)(coll ? strlen(type) - strlen("Collection") : strlen(type)), type);
        base = basebuf;
        snprintf(name, sizeof(name), "%s@odata.type", key);
        ann = json_object_get(props, name);
        if (ann && (!json_is_string(ann) ||
                    !annotation_matches(json_string_value(ann), annotation_of(type)))) {
            err = FAIL("properties: %s must be \"%s\" for the %s property %s", name,
                       annotation_of(type), type, key);
            goto out;
        }
        if (coll && !ann) {
            err = FAIL("properties: the collection %s needs the annotation "
                       "\"%s@odata.type\": \"%s\"",
                       key, key, annotation_of(type));
            goto out;
        }
        if (json_is_null(v))
            continue;
        if (coll) {
            if (!json_is_array(v)) {
                err = FAIL("properties: %s must be an array (%s)", key, type);
                goto out;
            }
            for (size_t i = 0; i < json_array_size(v); i++)
                if (!scalar_ok(base, json_array_get(v, i))) {
                    err = FAIL("properties: %s[%zu] must be %s", key, i, type_words(base));
                    goto out;
                }
        } else if (!scalar_ok(base, v)) {
            err = FAIL("properties: %s must be %s", key, type_words(base));
            goto out;
        }
        json_object_set(*norm, json_string_value(json_object_get(sp, "name")), v);
        if (json_is_true(json_object_get(sp, "isSearchable"))) {
            if (json_is_string(v))
                err = append_text(title, &len, &cap, json_string_value(v));
            for (size_t i = 0; !err && json_is_array(v) && i < json_array_size(v); i++)
                err = append_text(title, &len, &cap, json_string_value(json_array_get(v, i)));
            if (err)
                goto out;
        }
    }
    if (!*title && !(*title = strdup("")))
        err = SB_ERR_NOMEM;
out:
    if (err) {
        json_decref(*norm);
        *norm = NULL;
        free(*title);
        *title = NULL;
    }
    return err;
}

/* HTML reduced to its text for the index: tags become spaces; entities are left as they are. */
static char *html_text(const char *html)
{
    char *out = malloc(strlen(html) + 1), *p = out;
    bool in_tag = false;

    if (!out)
        return NULL;
    for (const char *s = html; *s; s++) {
        if (*s == '<')
            in_tag = true;
        else if (*s == '>' && in_tag) {
            in_tag = false;
            *p++ = ' ';
        } else if (!in_tag)
            *p++ = *s;
    }
    *p = '\0';
    return out;
}

static sb_err check_content(json_t *content, const char **value, const char **type,
                            struct sb_diag *diag)
{
    json_t *v, *t;

    *value = "";
    *type = "text";
    if (!content || json_is_null(content))
        return SB_OK;
    if (!json_is_object(content))
        return FAIL("content must be an object {value, type}");
    v = json_object_get(content, "value");
    t = json_object_get(content, "type");
    if (v && !json_is_null(v) && !json_is_string(v))
        return FAIL("content.value must be a string");
    if (t && !json_is_null(t) &&
        (!json_is_string(t) || (strcasecmp(json_string_value(t), "text") != 0 &&
                                strcasecmp(json_string_value(t), "html") != 0)))
        return FAIL("content.type must be text or html");
    if (json_is_string(v))
        *value = json_string_value(v);
    if (json_is_string(t) && !strcasecmp(json_string_value(t), "html"))
        *type = "html";
    return SB_OK;
}

/* The ACL entries as principal keys. */
static sb_err check_acl(json_t *acl, int64_t conn_pk, struct store_gc_ace **out, size_t *n,
                        struct sb_diag *diag)
{
    struct store_gc_ace *v;

    *out = NULL;
    *n = 0;
    if (!json_is_array(acl) || json_array_size(acl) == 0 || json_array_size(acl) > ACL_MAX)
        return FAIL("acl must be an array of 1 to %d entries", ACL_MAX);
    if (!(v = calloc(json_array_size(acl), sizeof(*v))))
        return SB_ERR_NOMEM;
    for (size_t i = 0; i < json_array_size(acl); i++) {
        json_t *e = json_array_get(acl, i);
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *value = json_string_value(json_object_get(e, "value"));
        const char *access = json_string_value(json_object_get(e, "accessType"));

        if (!access || (strcmp(access, "grant") != 0 && strcmp(access, "deny") != 0)) {
            free(v);
            return FAIL("acl[%zu].accessType must be grant or deny", i);
        }
        if (!value || !*value || strlen(value) > STORE_GC_ITEM_MAX) {
            free(v);
            return FAIL("acl[%zu].value must be a non-empty string of at most %d bytes", i,
                        STORE_GC_ITEM_MAX);
        }
        v[i].deny = access[0] == 'd';
        if (type && !strcmp(type, "user") && sb_id_valid(value))
            snprintf(v[i].key, sizeof(v[i].key), "u:%s", value);
        else if (type && !strcmp(type, "group") && sb_id_valid(value))
            snprintf(v[i].key, sizeof(v[i].key), "g:%s", value);
        else if (type && !strcmp(type, "everyone"))
            snprintf(v[i].key, sizeof(v[i].key), "e");
        else if (type && !strcmp(type, "everyoneExceptGuests"))
            snprintf(v[i].key, sizeof(v[i].key), "eg");
        else if (type && !strcmp(type, "externalGroup") && valid_id(value))
            snprintf(v[i].key, sizeof(v[i].key), "x:%lld:%s", (long long)conn_pk, value);
        else {
            free(v);
            return FAIL("acl[%zu]: type must be user or group (with a GUID value), everyone, "
                        "everyoneExceptGuests, or externalGroup (with an external group id)",
                        i);
        }
        for (char *c = v[i].key; *c && v[i].key[0] != 'x'; c++)
            *c = (char)tolower((unsigned char)*c);
    }
    *out = v;
    *n = json_array_size(acl);
    return SB_OK;
}

static json_t *render_item(const struct store_gc_item *it)
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
    struct store_gc_connection c = {0};
    struct store_gc_item old = {0}, it = {0};
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
    if (!valid_id(item_id)) {
        err = FAIL("the item id must be 1 to %d letters, digits, '-' or '_'", STORE_GC_ITEM_MAX);
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
    if ((err = check_properties(props, schema, &norm, &title, diag)) ||
        (err = check_content(content, &cvalue, &ctype, diag)) ||
        (err = check_acl(acl, c.pk, &aces, &nacl, diag)))
        goto out;
    if (!(text = strcmp(ctype, "html") == 0 ? html_text(cvalue) : strdup(cvalue))) {
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
    struct store_gc_connection c = {0};
    struct store_gc_item it = {0};
    sb_err err;

    *out = NULL;
    if ((err = gc_connection_find(ctx, who, conn_id, &c, diag)))
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
    struct store_gc_connection c = {0};
    sb_err err;

    if ((err = gc_connection_find(ctx, who, conn_id, &c, diag)))
        return err;
    err = store_gc_item_delete(ctx->store, c.pk, item_id);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "item '%s' not found", item_id);
    store_gc_connection_free(&c);
    return err;
}

/* ---- external groups ---- */

static json_t *render_group(const struct store_gc_group *g)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "@odata.type",
                     "#microsoft.graph.externalConnectors.externalGroup", "id", g->id,
                     "displayName", g->display_name, "description", g->description);
}

static sb_err group_fields(json_t *body, struct store_gc_group *g, struct sb_diag *diag)
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
                           const char *group_id, struct store_gc_connection *c,
                           struct store_gc_group *g, struct sb_diag *diag)
{
    sb_err err = gc_connection_find(ctx, who, conn_id, c, diag);

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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
    const char *id;
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, NULL, &c, NULL, diag)))
        return err;
    if ((err = sb_json_string(body, "id", true, STORE_GC_ITEM_MAX, &id, diag)))
        goto out;
    if (!valid_id(id)) {
        err = FAIL("id must be 1 to %d letters, digits, '-' or '_'", STORE_GC_ITEM_MAX);
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
    struct store_gc_member m = {0};
    char key[STORE_GC_ITEM_MAX + 48];
    const char *id, *type;
    sb_err err;

    *out = NULL;
    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    if ((err = sb_json_string(body, "id", true, STORE_GC_ITEM_MAX, &id, diag)) ||
        (err = sb_json_string(body, "type", true, 16, &type, diag)))
        goto out;
    if ((!strcmp(type, "user") || !strcmp(type, "group")) && sb_id_valid(id)) {
        snprintf(key, sizeof(key), "%c:%s", type[0] == 'u' ? 'u' : 'g', id);
        for (char *k = key; *k; k++)
            *k = (char)tolower((unsigned char)*k);
    } else if (!strcmp(type, "externalGroup") && valid_id(id)) {
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
    struct store_gc_member *m = NULL;
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
    struct store_gc_connection c = {0};
    struct store_gc_group g = {0};
    sb_err err;

    if ((err = locate_group(ctx, who, conn_id, group_id, &c, &g, diag)))
        return err;
    err = store_gc_member_remove(ctx->store, c.pk, group_id, member_id);
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "member '%s' not found", member_id);
    store_gc_connection_free(&c);
    return err;
}
