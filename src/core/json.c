#include "core/json.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

sb_err sb_json_parse_object(const char *body, size_t len, json_t **out, struct sb_diag *diag)
{
    json_error_t jerr;
    json_t *v;

    *out = NULL;
    if (len == 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "request body is empty; a JSON object is required");
    v = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    if (!v)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "malformed JSON at line %d, column %d: %s", jerr.line, jerr.column,
                       jerr.text);
    if (!json_is_object(v)) {
        json_decref(v);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "request body must be a JSON object");
    }
    *out = v;
    return SB_OK;
}

sb_err sb_json_string(json_t *obj, const char *key, bool required, size_t max, const char **out,
                      struct sb_diag *diag)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s is required", key);
        return SB_OK;
    }
    if (!json_is_string(v))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be a string", key);
    if (json_string_length(v) > max)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "%s is too long (%zu bytes; at most %zu)", key, json_string_length(v), max);
    if (strlen(json_string_value(v)) != json_string_length(v))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must not contain NUL", key);
    if (required && json_string_length(v) == 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must not be empty", key);
    *out = json_string_value(v);
    return SB_OK;
}

sb_err sb_json_bool(json_t *obj, const char *key, bool *out, bool *present, struct sb_diag *diag)
{
    json_t *v = json_object_get(obj, key);

    *present = false;
    if (!v)
        return SB_OK;
    if (!json_is_boolean(v))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be true or false", key);
    *out = json_is_true(v);
    *present = true;
    return SB_OK;
}

sb_err sb_json_object(json_t *obj, const char *key, bool required, json_t **out,
                      struct sb_diag *diag)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s is required", key);
        return SB_OK;
    }
    if (!json_is_object(v))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be an object", key);
    *out = v;
    return SB_OK;
}

sb_err sb_json_dump(const json_t *v, char **out)
{
    *out = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

/* The bytes JSON strings must escape: 1 for \u00XX, else the letter after the backslash. */
static const char json_escapes[256] = {
    [0x00] = 1, [0x01] = 1,   [0x02] = 1,   [0x03] = 1,   [0x04] = 1,  [0x05] = 1,    [0x06] = 1,
    [0x07] = 1, ['\b'] = 'b', ['\t'] = 't', ['\n'] = 'n', [0x0b] = 1,  ['\f'] = 'f',  ['\r'] = 'r',
    [0x0e] = 1, [0x0f] = 1,   [0x10] = 1,   [0x11] = 1,   [0x12] = 1,  [0x13] = 1,    [0x14] = 1,
    [0x15] = 1, [0x16] = 1,   [0x17] = 1,   [0x18] = 1,   [0x19] = 1,  [0x1a] = 1,    [0x1b] = 1,
    [0x1c] = 1, [0x1d] = 1,   [0x1e] = 1,   [0x1f] = 1,   ['"'] = '"', ['\\'] = '\\',
};

sb_err sb_json_put_escaped(struct sb_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    sb_err err = n > (SIZE_MAX - 1) / 6 ? SB_ERR_NOMEM : sb_buf_reserve(b, 6 * n + 1);
    const unsigned char *p = (const unsigned char *)s;
    char *o;

    if (err)
        return err;
    o = b->data + b->len;
    for (size_t i = 0; i < n; i++) {
        char e = json_escapes[p[i]];

        if (!e) {
            *o++ = (char)p[i];
        } else if (e != 1) {
            *o++ = '\\';
            *o++ = e;
        } else {
            memcpy(o, "\\u00", 4);
            o[4] = hex[p[i] >> 4];
            o[5] = hex[p[i] & 15];
            o += 6;
        }
    }
    *o = '\0';
    b->len = (size_t)(o - b->data);
    return SB_OK;
}
