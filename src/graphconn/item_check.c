/*
 * item_check.c: an external item's body checked before it is stored (see items_internal.h).
 *
 * Properties are checked against the connection's registered schema: known names (compared
 * without regard to case, stored under the schema's spelling), the JSON type each schema type
 * needs, ISO 8601 dates, and the OData annotations (name@odata.type) Graph requires on
 * collections. The content is {value, type: text|html}; the ACL entries become principal keys.
 * Every refusal is SB_ERR_INVALID with a diag naming the field and the rule.
 */
#include "graphconn/items_internal.h"

#include "core/ids.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define ACL_MAX 1000

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
sb_err gc_item_check_properties(json_t *props, json_t *schema, json_t **norm, char **title,
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
char *gc_item_html_text(const char *html)
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

sb_err gc_item_check_content(json_t *content, const char **value, const char **type,
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
sb_err gc_item_check_acl(json_t *acl, int64_t conn_pk, struct store_gc_ace **out, size_t *n,
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
        if (!value || !*value || strlen(value) > SB_GC_ITEM_MAX) {
            free(v);
            return FAIL("acl[%zu].value must be a non-empty string of at most %d bytes", i,
                        SB_GC_ITEM_MAX);
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
        else if (type && !strcmp(type, "externalGroup") && gc_valid_id(value))
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
