/*
 * forwards_api.c: forwards of a channel and the MessageCard translation (contract §8).
 * Parse, call one forward/ service function, render.
 */
#include "api/api.h"

#include "core/json.h"
#include "forward/forward.h"
#include "http/http.h"

#include <stdlib.h>
#include <string.h>

static json_t *array_member(struct api_call *c, json_t *obj, const char *key, bool *bad)
{
    json_t *v = json_object_get(obj, key);

    if (v && !json_is_array(v)) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "%s must be an array", key);
        *bad = true;
        return NULL;
    }
    return v;
}

/* Reads a create or change body into *in (borrowing from body); false when answered. */
static bool read_input(struct api_call *c, json_t *body, struct forward_input *in)
{
    json_t *include = NULL;
    bool bad = false;
    sb_err err;

    memset(in, 0, sizeof(*in));
    err = sb_json_string(body, "name", false, SB_NAME_MAX, &in->name, &c->diag);
    if (!err)
        err = sb_json_string(body, "kind", false, 16, &in->kind, &c->diag);
    if (!err)
        err = sb_json_string(body, "url", false, SB_FORWARD_URL_MAX, &in->url, &c->diag);
    if (!err)
        err = sb_json_object(body, "include", false, &include, &c->diag);
    if (!err && include)
        err = sb_json_bool(include, "people", &in->people, &in->has_people, &c->diag);
    if (err) {
        api_fail(c, err);
        return false;
    }
    in->to = array_member(c, body, "to", &bad);
    if (!bad && include)
        in->connectors = array_member(c, include, "connectors", &bad);
    if (!bad && include)
        in->keywords = array_member(c, include, "keywords", &bad);
    if (!bad && include)
        in->colors = array_member(c, include, "colors", &bad);
    return !bad;
}

/* POST and PATCH read the same body and answer the forward as it is after the change. */
typedef sb_err (*forward_write_fn)(struct sb_ctx *ctx, const struct sb_principal *who,
                                   const char *key, const struct forward_input *in,
                                   struct sb_forward *out, struct sb_diag *diag);

static void forward_write(struct api_call *c, forward_write_fn write, int status)
{
    struct forward_input in;
    struct sb_forward f;
    json_t *body = api_body_object(c);
    sb_err err;

    if (!body)
        return;
    if (!read_input(c, body, &in)) {
        json_decref(body);
        return;
    }
    err = write(c->ctx, c->who, api_param(c, 0), &in, &f, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, status, forward_render(&f));
}

void api_forward_create(struct api_call *c)
{
    forward_write(c, forward_create, 201);
}

void api_forward_list(struct api_call *c)
{
    struct sb_forward *fs = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err = forward_list(c->ctx, c->who, api_param(c, 0), &fs, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; i < n && value; i++)
        if (json_array_append_new(value, forward_render(&fs[i])) != 0) {
            json_decref(value);
            value = NULL;
        }
    free(fs);
    if (!value) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_forward_get(struct api_call *c)
{
    struct sb_forward f;
    sb_err err = forward_get(c->ctx, c->who, api_param(c, 0), &f, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, forward_render(&f));
}

void api_forward_patch(struct api_call *c)
{
    forward_write(c, forward_update, 200);
}

void api_forward_delete(struct api_call *c)
{
    sb_err err = forward_delete(c->ctx, c->who, api_param(c, 0), &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_no_content(c);
}

void api_forward_deliveries(struct api_call *c)
{
    struct sb_forward_delivery *ds = NULL;
    size_t n = 0;
    long long top;
    json_t *value;
    sb_err err;

    if (!api_query_int(c, "$top", 1, FORWARD_DELIVERIES_MAX, 20, &top))
        return;
    err = forward_deliveries(c->ctx, c->who, api_param(c, 0), (size_t)top, &ds, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; i < n && value; i++)
        if (json_array_append_new(value, forward_delivery_render(&ds[i])) != 0) {
            json_decref(value);
            value = NULL;
        }
    free(ds);
    if (!value) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_forward_retry(struct api_call *c)
{
    sb_err err = forward_retry(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 202, json_object());
}

void api_translate(struct api_call *c)
{
    const char *to = http_query(c->req, "to");
    json_t *body;
    char *text = NULL, *out = NULL;
    sb_err err;

    if (to && strcmp(to, "adaptive") != 0) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "to must be adaptive");
        return;
    }
    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_dump(body, &text);
    json_decref(body);
    if (!err)
        err = forward_translate(c->ctx, c->who, text, strlen(text), &out, &c->diag);
    free(text);
    if (err) {
        api_fail(c, err);
        return;
    }
    body = json_loads(out, 0, NULL);
    free(out);
    if (!body) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, body);
}
