/*
 * template.c: `{{ .path }}` placeholders in the strings of a JSON template (see template.h).
 */
#include "services/template.h"

#include "core/buf.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct render {
    const json_t *data;
    size_t budget;    /* output bytes still allowed */
    int placeholders; /* seen so far, all strings together */
};

static bool is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* One path segment selects a member of an object, or an element of an array when it is a
 * decimal index. Anything else (a scalar on the way, an index out of range) is missing. */
static const json_t *step(const json_t *cur, const char *seg, size_t len)
{
    size_t idx = 0;

    if (json_is_object(cur))
        return json_object_getn(cur, seg, len);
    if (!json_is_array(cur) || len == 0 || len > 9)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        if (seg[i] < '0' || seg[i] > '9')
            return NULL;
        idx = idx * 10 + (size_t)(seg[i] - '0');
    }
    return json_array_get(cur, idx);
}

/* Appends v's text, without NUL bytes (they would cut C strings further on). */
static sb_err append_clean(struct sb_buf *b, const char *s, size_t n)
{
    size_t start = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '\0')
            continue;
        if (i > start && sb_buf_append(b, s + start, i - start) != SB_OK)
            return SB_ERR_NOMEM;
        start = i + 1;
    }
    return SB_OK;
}

static sb_err append_value(struct sb_buf *b, const json_t *v)
{
    char *text;
    sb_err err;

    if (!v || json_is_null(v))
        return SB_OK;
    if (json_is_string(v))
        return append_clean(b, json_string_value(v), json_string_length(v));
    text = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY | JSON_REAL_PRECISION(15));
    if (!text)
        return SB_ERR_NOMEM;
    err = append_clean(b, text, strlen(text));
    free(text);
    return err;
}

/* Reads the placeholder starting after "{{" at *p; on success *p is past its "}}". */
static sb_err placeholder(struct render *r, const char **p, struct sb_buf *b, struct sb_diag *diag)
{
    const char *s = *p;
    const json_t *cur = r->data;
    int segments = 0;

    if (++r->placeholders > TEMPLATE_PLACEHOLDERS_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                       "the template has more than %d placeholders", TEMPLATE_PLACEHOLDERS_MAX);
    while (is_space(*s))
        s++;
    if (*s != '.')
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                       "a placeholder must be a path starting with '.', as in {{ .title }}");
    s++;
    /* "." alone is the whole document; otherwise segments separated by dots. */
    if (!is_space(*s) && *s != '}') {
        for (;;) {
            const char *seg = s;
            while (*s && *s != '.' && *s != '}' && !is_space(*s))
                s++;
            if (s == seg)
                return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                               "a placeholder path has an empty segment");
            if (++segments > TEMPLATE_PATH_MAX)
                return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                               "a placeholder path has more than %d segments", TEMPLATE_PATH_MAX);
            if (cur)
                cur = step(cur, seg, (size_t)(s - seg));
            if (*s != '.')
                break;
            s++;
        }
    }
    while (is_space(*s))
        s++;
    if (s[0] != '}' || s[1] != '}')
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                       "a placeholder is not closed with }}");
    *p = s + 2;
    return append_value(b, cur) ? SB_ERR_NOMEM : SB_OK;
}

static sb_err over_budget(struct sb_diag *diag)
{
    return sb_fail(diag, SB_ERR_TOO_LARGE, "templateOutputTooLarge",
                   "the rendered template is larger than %d bytes", TEMPLATE_OUTPUT_MAX);
}

/* The budget is checked after every piece, so a template repeating a large value fails at the
 * first piece past the limit instead of building all of them first. */
static sb_err render_string(struct render *r, const char *tmpl, struct sb_buf *out,
                            struct sb_diag *diag)
{
    const char *p = tmpl;
    sb_err err = SB_OK;

    while (*p && !err) {
        const char *open = strstr(p, "{{");
        size_t n = open ? (size_t)(open - p) : strlen(p);

        if (n && sb_buf_append(out, p, n) != SB_OK)
            return SB_ERR_NOMEM;
        if (out->len > r->budget)
            return over_budget(diag);
        if (!open)
            break;
        p = open + 2;
        err = placeholder(r, &p, out, diag);
        if (!err && out->len > r->budget)
            return over_budget(diag);
    }
    if (err)
        return err;
    r->budget -= out->len;
    return SB_OK;
}

sb_err template_render_string(const char *tmpl, const json_t *data, size_t *budget, char **out,
                              struct sb_diag *diag)
{
    struct render r = {data, *budget, 0};
    struct sb_buf b = {0};
    sb_err err = render_string(&r, tmpl, &b, diag);

    *out = NULL;
    if (!err && !b.data)
        err = sb_buf_append(&b, "", 0);
    if (err) {
        sb_buf_free(&b);
        return err;
    }
    *budget = r.budget;
    *out = sb_buf_take(&b);
    return SB_OK;
}

static sb_err render_value(struct render *r, const json_t *t, int depth, json_t **out,
                           struct sb_diag *diag)
{
    sb_err err = SB_OK;

    *out = NULL;
    if (depth > TEMPLATE_DEPTH_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                       "the template nests more than %d levels", TEMPLATE_DEPTH_MAX);
    if (json_is_string(t)) {
        struct sb_buf b = {0};
        err = render_string(r, json_string_value(t), &b, diag);
        if (!err)
            *out = json_stringn(b.data ? b.data : "", b.len);
        sb_buf_free(&b);
        return err ? err : *out ? SB_OK : SB_ERR_NOMEM;
    }
    if (json_is_object(t)) {
        const char *key;
        json_t *v, *copy = json_object();

        if (!copy)
            return SB_ERR_NOMEM;
        json_object_foreach((json_t *)t, key, v)
        {
            json_t *item;
            err = render_value(r, v, depth + 1, &item, diag);
            if (!err && json_object_set_new(copy, key, item) != 0)
                err = SB_ERR_NOMEM;
            if (err)
                break;
        }
        if (err)
            json_decref(copy);
        else
            *out = copy;
        return err;
    }
    if (json_is_array(t)) {
        size_t i;
        json_t *v, *copy = json_array();

        if (!copy)
            return SB_ERR_NOMEM;
        json_array_foreach(t, i, v)
        {
            json_t *item;
            err = render_value(r, v, depth + 1, &item, diag);
            if (!err && json_array_append_new(copy, item) != 0)
                err = SB_ERR_NOMEM;
            if (err)
                break;
        }
        if (err)
            json_decref(copy);
        else
            *out = copy;
        return err;
    }
    *out = json_deep_copy(t);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

sb_err template_render(const json_t *tmpl, const json_t *data, json_t **out, struct sb_diag *diag)
{
    struct render r = {data, TEMPLATE_OUTPUT_MAX, 0};
    return render_value(&r, tmpl, 1, out, diag);
}

sb_err template_check(const json_t *tmpl, struct sb_diag *diag)
{
    char *text;
    size_t len;
    json_t *empty = json_object(), *out = NULL;
    sb_err err;

    if (!empty)
        return SB_ERR_NOMEM;
    text = json_dumps(tmpl, JSON_COMPACT | JSON_ENCODE_ANY);
    len = text ? strlen(text) : 0;
    free(text);
    if (len > TEMPLATE_TEXT_MAX)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidTemplate",
                      "the template is larger than %d bytes", TEMPLATE_TEXT_MAX);
    else
        err = template_render(tmpl, empty, &out, diag);
    json_decref(out);
    json_decref(empty);
    return err;
}
