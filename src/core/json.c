#include "core/json.h"

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
