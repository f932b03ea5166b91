/*
 * card_check.c: the webhook body checker's toolkit (see internal.h): reading optional and
 * required members the way Teams does (absent and null alike), keeping the path of the field
 * being checked, and wording every refusal as Teams' generic sentence plus one naming that
 * field and its rule. It knows no card type: cards.c states the rules with these.
 */
#include "cards/internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define SPACE " \t\n\r\f\v" /* what "blank" means for text, summary and a text/plain body */

/* ---- text ---- */

/* Trims ASCII white space on both sides of s[0..n). */
const char *card_trim(const char *s, size_t *n)
{
    /* The NUL tests matter: strchr() finds the terminator of SPACE. */
    while (*n > 0 && s[0] != '\0' && strchr(SPACE, s[0])) {
        s++;
        (*n)--;
    }
    while (*n > 0 && s[*n - 1] != '\0' && strchr(SPACE, s[*n - 1]))
        (*n)--;
    return s;
}

/* A string member, trimmed, if it has anything besides white space. */
bool card_nonblank_member(json_t *obj, const char *key, const char **s, size_t *n)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v))
        return false;
    *n = json_string_length(v);
    *s = card_trim(json_string_value(v), n);
    return *n > 0;
}

/* ---- refusals ---- */

/* Fails with the generic Teams sentence plus one naming the current path (and key, if any). */
sb_err card_bad(struct card_vctx *vc, const char *key, const char *fmt, ...)
{
    char rule[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rule, sizeof(rule), fmt, ap);
    va_end(ap);
    sb_fail(vc->diag, SB_ERR_INVALID, "badPayload", "%s %s%s%s %s.", BAD_PAYLOAD, vc->path,
            key && vc->len ? "." : "", key ? key : "", rule);
    return SB_ERR_INVALID;
}

/* Fails with the generic Teams sentence plus a sentence about the body as a whole. */
sb_err card_bad_body(struct sb_diag *diag, const char *sentence)
{
    sb_fail(diag, SB_ERR_INVALID, "badPayload", "%s %s", BAD_PAYLOAD, sentence);
    return SB_ERR_INVALID;
}

sb_err card_nomem(struct sb_diag *diag)
{
    return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
}

/* ---- the path ---- */

static void path_grow(struct card_vctx *vc, int n)
{
    if (n > 0)
        vc->len += (size_t)n;
    if (vc->len >= sizeof(vc->path))
        vc->len = sizeof(vc->path) - 1; /* snprintf truncated; keep len on the NUL */
}

size_t card_path_key(struct card_vctx *vc, const char *key)
{
    size_t saved = vc->len;

    path_grow(vc, snprintf(vc->path + vc->len, sizeof(vc->path) - vc->len, "%s%s",
                           vc->len ? "." : "", key));
    return saved;
}

static size_t path_index(struct card_vctx *vc, size_t i)
{
    size_t saved = vc->len;

    path_grow(vc, snprintf(vc->path + vc->len, sizeof(vc->path) - vc->len, "[%zu]", i));
    return saved;
}

void card_path_pop(struct card_vctx *vc, size_t saved)
{
    vc->len = saved;
    vc->path[saved] = '\0';
}

/* ---- member checks ---- */

/* Optional members: absent and null mean the same, since many serialisers write null for
 * fields they were not given. */
json_t *card_member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_null(v) ? NULL : v;
}

sb_err card_opt_string(struct card_vctx *vc, json_t *obj, const char *key)
{
    json_t *v = card_member(obj, key);

    if (v && !json_is_string(v))
        return card_bad(vc, key, "must be a string");
    return SB_OK;
}

/* Checks each of a NULL-terminated list of optional string members. */
sb_err card_opt_strings(struct card_vctx *vc, json_t *obj, const char *const *keys)
{
    for (; *keys; keys++) {
        sb_err err = card_opt_string(vc, obj, *keys);
        if (err)
            return err;
    }
    return SB_OK;
}

sb_err card_req_string(struct card_vctx *vc, json_t *obj, const char *key, const char **out)
{
    json_t *v = card_member(obj, key);

    /* Never leaves *out NULL, so callers may compare it even on a path they think is dead. */
    *out = "";
    if (!v)
        return card_bad(vc, key, "is required");
    if (!json_is_string(v) || !json_string_value(v))
        return card_bad(vc, key, "must be a string");
    *out = json_string_value(v);
    return SB_OK;
}

static sb_err count_rule(struct card_vctx *vc, const char *key, size_t min, size_t max)
{
    if (max == NO_LIMIT)
        return card_bad(vc, key, "must have at least %zu item%s", min, min == 1 ? "" : "s");
    if (min == 0)
        return card_bad(vc, key, "must have at most %zu items", max);
    return card_bad(vc, key, "must have %zu to %zu items", min, max);
}

/* Checks obj[key] as an array of min..max objects, calling check on each with the path set to
 * "key[i]". A missing (or null) array is fine unless required. */
sb_err card_check_list(struct card_vctx *vc, json_t *obj, const char *key, bool required,
                       size_t min, size_t max, card_item_check check)
{
    json_t *arr = card_member(obj, key), *item;
    size_t saved, i, n;

    if (!arr)
        return required ? card_bad(vc, key, "is required") : SB_OK;
    if (!json_is_array(arr))
        return card_bad(vc, key, "must be an array");
    n = json_array_size(arr);
    if (n < min || n > max)
        return count_rule(vc, key, min, max);
    /* On a refusal the path is left as it was: the message is already written and the check
     * stops there. */
    saved = card_path_key(vc, key);
    json_array_foreach(arr, i, item)
    {
        size_t at = path_index(vc, i);
        sb_err err =
            json_is_object(item) ? check(vc, item) : card_bad(vc, NULL, "must be an object");

        if (err)
            return err;
        card_path_pop(vc, at);
    }
    card_path_pop(vc, saved);
    return SB_OK;
}

sb_err card_opt_array(struct card_vctx *vc, json_t *obj, const char *key)
{
    json_t *v = card_member(obj, key);

    if (v && !json_is_array(v))
        return card_bad(vc, key, "must be an array");
    return SB_OK;
}