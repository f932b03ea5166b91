/*
 * schema.c: a connection's schema (PATCH .../schema) and its asynchronous operation.
 *
 * The body is validated at once (a 400 names the property and the rule); the operation then
 * registers it: a first schema always, a later one only when it keeps every registered property
 * as it was (items were validated against them), else the operation fails with the reason.
 */
#include "graphconn/graphconn.h"

#include "core/ids.h"
#include "core/json.h"
#include "outbox/outbox.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

static const char *const types[] = {
    "string",           "int64",           "double",           "dateTime",           "boolean",
    "stringCollection", "int64Collection", "doubleCollection", "dateTimeCollection",
};

static const char *const labels[] = {
    "title",
    "url",
    "createdBy",
    "lastModifiedBy",
    "authors",
    "createdDateTime",
    "lastModifiedDateTime",
    "fileName",
    "fileExtension",
    "iconUrl",
    "containerName",
    "containerUrl",
};

/* The type each label needs ("" = any). */
static const char *label_type(const char *label)
{
    if (!strcmp(label, "createdDateTime") || !strcmp(label, "lastModifiedDateTime"))
        return "dateTime";
    if (!strcmp(label, "authors"))
        return "stringCollection";
    return "string";
}

static bool alnum_name(const char *s, size_t max)
{
    size_t n = strlen(s);

    if (n == 0 || n > max)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s))
            return false;
    return true;
}

/* A flag given as a JSON boolean or, as in Microsoft's examples, the string "true"/"false". */
static sb_err flag(json_t *p, const char *key, const char *name, bool *out, struct sb_diag *diag)
{
    json_t *v = json_object_get(p, key);

    *out = false;
    if (!v || json_is_null(v))
        return SB_OK;
    if (json_is_boolean(v)) {
        *out = json_is_true(v);
        return SB_OK;
    }
    if (json_is_string(v) && !strcasecmp(json_string_value(v), "true")) {
        *out = true;
        return SB_OK;
    }
    if (json_is_string(v) && !strcasecmp(json_string_value(v), "false"))
        return SB_OK;
    return FAIL("properties: %s.%s must be true or false", name, key);
}

static sb_err names_array(json_t *p, const char *key, const char *name, bool is_label, json_t **out,
                          struct sb_diag *diag)
{
    json_t *v = json_object_get(p, key), *arr;

    *out = NULL;
    if (!(arr = json_array()))
        return SB_ERR_NOMEM;
    if (v && !json_is_null(v) && !json_is_array(v)) {
        json_decref(arr);
        return FAIL("properties: %s.%s must be an array of strings", name, key);
    }
    for (size_t i = 0; v && i < json_array_size(v); i++) {
        json_t *e = json_array_get(v, i);
        const char *s = json_is_string(e) ? json_string_value(e) : NULL;
        const char *canon = NULL;

        if (is_label) {
            for (size_t k = 0; s && k < sizeof(labels) / sizeof(labels[0]); k++)
                if (!strcasecmp(s, labels[k]))
                    canon = labels[k];
            if (!canon) {
                json_decref(arr);
                return FAIL("properties: %s.labels[%zu] must be one of title, url, createdBy, "
                            "lastModifiedBy, authors, createdDateTime, lastModifiedDateTime, "
                            "fileName, fileExtension, iconUrl, containerName, containerUrl",
                            name, i);
            }
        } else {
            if (!s || !alnum_name(s, 32)) {
                json_decref(arr);
                return FAIL("properties: %s.aliases[%zu] must be 1 to 32 letters or digits", name,
                            i);
            }
            canon = s;
        }
        json_array_append_new(arr, json_string(canon));
    }
    *out = arr;
    return SB_OK;
}

static sb_err one_property(json_t *p, size_t i, json_t *seen_labels, json_t **out,
                           struct sb_diag *diag)
{
    const char *name, *type_in, *type = NULL;
    bool search, query, retr, refine, exact;
    json_t *aliases = NULL, *lab = NULL;
    char pname[48];
    sb_err err;

    if (!json_is_object(p))
        return FAIL("properties[%zu] must be an object", i);
    if ((err = sb_json_string(p, "name", true, 64, &name, diag)))
        return err;
    if (!alnum_name(name, 32))
        return FAIL("properties[%zu].name must be 1 to 32 letters or digits (no spaces or "
                    "punctuation)",
                    i);
    snprintf(pname, sizeof(pname), "%s", name);
    if ((err = sb_json_string(p, "type", true, 64, &type_in, diag)))
        return err;
    for (size_t k = 0; k < sizeof(types) / sizeof(types[0]); k++)
        if (!strcasecmp(type_in, types[k]))
            type = types[k];
    if (!type)
        return FAIL("properties: %s.type must be one of string, int64, double, dateTime, "
                    "boolean, stringCollection, int64Collection, doubleCollection, "
                    "dateTimeCollection",
                    pname);
    if ((err = flag(p, "isSearchable", pname, &search, diag)) ||
        (err = flag(p, "isQueryable", pname, &query, diag)) ||
        (err = flag(p, "isRetrievable", pname, &retr, diag)) ||
        (err = flag(p, "isRefinable", pname, &refine, diag)) ||
        (err = flag(p, "isExactMatchRequired", pname, &exact, diag)))
        return err;
    if (search && strcmp(type, "string") != 0 && strcmp(type, "stringCollection") != 0)
        return FAIL("properties: %s is %s: only string and stringCollection properties can be "
                    "searchable",
                    pname, type);
    if (search && refine)
        return FAIL("properties: %s cannot be both refinable and searchable", pname);
    if ((err = names_array(p, "aliases", pname, false, &aliases, diag)))
        return err;
    if ((err = names_array(p, "labels", pname, true, &lab, diag))) {
        json_decref(aliases);
        return err;
    }
    for (size_t k = 0; k < json_array_size(lab); k++) {
        const char *l = json_string_value(json_array_get(lab, k));

        if (json_object_get(seen_labels, l))
            err = FAIL("properties: the label %s is on more than one property", l);
        else if (strcmp(label_type(l), type) != 0)
            err = FAIL("properties: %s has the label %s, which needs the type %s", pname, l,
                       label_type(l));
        if (err) {
            json_decref(aliases);
            json_decref(lab);
            return err;
        }
        json_object_set_new(seen_labels, l, json_true());
    }
    *out = json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:o,s:o}", "name", name, "type", type,
                     "isSearchable", search, "isQueryable", query, "isRetrievable", retr,
                     "isRefinable", refine, "isExactMatchRequired", exact, "aliases", aliases,
                     "labels", lab);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

sb_err gc_schema_normalise(json_t *body, json_t **out, struct sb_diag *diag)
{
    json_t *props = json_object_get(body, "properties"), *norm = NULL, *names = NULL, *seen = NULL;
    const char *base;
    sb_err err;

    *out = NULL;
    if ((err = sb_json_string(body, "baseType", true, 64, &base, diag)))
        return err;
    if (strcmp(base, "microsoft.graph.externalItem") != 0)
        return FAIL("baseType must be microsoft.graph.externalItem");
    if (!json_is_array(props) || json_array_size(props) < 1 ||
        json_array_size(props) > GC_SCHEMA_PROPERTIES_MAX)
        return FAIL("properties must be an array of 1 to %d properties", GC_SCHEMA_PROPERTIES_MAX);
    if (!(norm = json_array()) || !(names = json_object()) || !(seen = json_object())) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < json_array_size(props); i++) {
        json_t *p = NULL;
        char lower[48];

        if ((err = one_property(json_array_get(props, i), i, seen, &p, diag)))
            goto out;
        snprintf(lower, sizeof(lower), "%s", json_string_value(json_object_get(p, "name")));
        for (char *c = lower; *c; c++)
            *c = (char)tolower((unsigned char)*c);
        if (json_object_get(names, lower)) {
            err = FAIL("properties: the name %s is used twice (names are compared without "
                       "regard to case)",
                       json_string_value(json_object_get(p, "name")));
            json_decref(p);
            goto out;
        }
        json_object_set_new(names, lower, json_true());
        json_array_append_new(norm, p);
    }
    *out = json_pack("{s:s,s:O}", "baseType", "microsoft.graph.externalItem", "properties", norm);
    err = *out ? SB_OK : SB_ERR_NOMEM;
out:
    json_decref(norm);
    json_decref(names);
    json_decref(seen);
    return err;
}

sb_err gc_schema_register(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          json_t *body, char *op_id, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_operation op = {0};
    struct sb_outbox_job job;
    char *payload = NULL;
    json_t *norm = NULL;
    sb_err err;

    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_CONNECTION, id, &c, diag)))
        return err;
    if ((err = gc_schema_normalise(body, &norm, diag)))
        goto out;
    if ((err = sb_json_dump(norm, &op.schema)))
        goto out;
    sb_id_new(ctx, op.id);
    op.conn_pk = c.pk;
    snprintf(op.status, sizeof(op.status), "inprogress");
    sb_time_now(ctx, op.created);
    if ((err = gc_schema_job(ctx, op.id, &job, &payload)))
        goto out;
    /* The operation and its job commit together: never an operation that nothing runs. */
    if ((err = store_gc_operation_insert(ctx->store, &op, &job, payload)))
        goto out;
    outbox_kick(ctx->outbox);
    snprintf(op_id, SB_ID_LEN + 1, "%s", op.id);
out:
    free(payload);
    json_decref(norm);
    free(op.schema);
    store_gc_connection_free(&c);
    return err;
}

/* Why new cannot replace old, or NULL: every registered property must stay as it was. */
static const char *incompatible(json_t *old, json_t *new, char *buf, size_t cap)
{
    json_t *op = json_object_get(old, "properties"), *np = json_object_get(new, "properties");

    for (size_t i = 0; i < json_array_size(op); i++) {
        json_t *o = json_array_get(op, i);
        const char *name = json_string_value(json_object_get(o, "name"));
        bool found = false;

        for (size_t k = 0; k < json_array_size(np); k++) {
            json_t *n = json_array_get(np, k);

            if (strcmp(name, json_string_value(json_object_get(n, "name"))) != 0)
                continue;
            found = true;
            if (!json_equal(o, n)) {
                snprintf(buf, cap, "the property %s cannot be changed once registered", name);
                return buf;
            }
        }
        if (!found) {
            snprintf(buf, cap, "the property %s cannot be removed once registered", name);
            return buf;
        }
    }
    return NULL;
}

sb_err gc_schema_apply(struct sb_ctx *ctx, const char *op_id)
{
    struct sb_gc_operation op = {0};
    struct sb_gc_connection *all = NULL;
    json_t *old = NULL, *new = NULL, *error = NULL;
    const char *why = NULL;
    char buf[256], *text = NULL;
    size_t n = 0;
    sb_err err;

    if ((err = store_gc_operation_get(ctx->store, op_id, &op)))
        return err;
    if (strcmp(op.status, "inprogress") != 0)
        goto out; /* finished by an earlier run */
    if ((err = store_gc_connection_list(ctx->store, NULL, &all, &n)))
        goto out;
    for (size_t i = 0; i < n; i++)
        if (all[i].pk == op.conn_pk && all[i].schema)
            old = json_loads(all[i].schema, 0, NULL);
    new = json_loads(op.schema, 0, NULL);
    if (old && new)
        why = incompatible(old, new, buf, sizeof(buf));
    if (why) {
        error = json_pack("{s:s,s:s}", "code", "InvalidRequest", "message", why);
        if (!error || (err = sb_json_dump(error, &text)))
            err = err ? err : SB_ERR_NOMEM;
        else
            err = store_gc_operation_finish(ctx->store, op.id, false, text);
    } else {
        err = store_gc_operation_finish(ctx->store, op.id, true, NULL);
    }
out:
    json_decref(old);
    json_decref(new);
    json_decref(error);
    free(text);
    store_gc_connection_free_array(all, n);
    store_gc_operation_free(&op);
    return err;
}

sb_err gc_operation_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *conn_id,
                        const char *op_id, json_t **out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    struct sb_gc_operation op = {0};
    json_t *error = NULL;
    sb_err err;

    *out = NULL;
    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_CONNECTION, conn_id, &c, diag)))
        return err;
    err = store_gc_operation_get(ctx->store, op_id, &op);
    if (!err && op.conn_pk != c.pk)
        err = SB_ERR_NOT_FOUND;
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "operation '%s' not found", op_id);
    if (err)
        goto out;
    if (op.error)
        error = json_loads(op.error, 0, NULL);
    *out = json_pack("{s:s,s:s,s:s}", "@odata.type",
                     "#microsoft.graph.externalConnectors.connectionOperation", "id", op.id,
                     "status", op.status);
    if (*out && error)
        json_object_set_new(*out, "error", error);
    else
        json_decref(error);
    err = *out ? SB_OK : SB_ERR_NOMEM;
out:
    store_gc_operation_free(&op);
    store_gc_connection_free(&c);
    return err;
}
