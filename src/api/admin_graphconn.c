/*
 * admin_graphconn.c: the administrator's Graph connector routes (contract additions):
 * /api/v1/admin/appRegistrations (client ids and secrets) and /api/v1/admin/graphConnectors
 * (catalog apps with a graphConnector: their switch, notification and connections).
 */
#include "api/api.h"

#include "core/json.h"
#include "graphconn/graphconn.h"

#include <sodium.h>
#include <stdlib.h>

void api_app_registration_create(struct api_call *c)
{
    struct store_gc_registration reg;
    char secret[GC_SECRET_LEN + 1];
    json_t *body, *out;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL) || !(body = api_body_object(c)))
        return;
    err = gc_registration_create(c->ctx, c->who, body, &reg, secret, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    out = gc_render_registration(&reg);
    if (out)
        json_object_set_new(out, "clientSecret", json_string(secret));
    sodium_memzero(secret, sizeof(secret));
    api_json(c, 201, out);
}

void api_app_registration_list(struct api_call *c)
{
    struct store_gc_registration *regs = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL))
        return;
    if ((err = store_gc_registration_list(c->ctx->store, &regs, &n))) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, gc_render_registration(&regs[i]));
    free(regs);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_app_registration_delete(struct api_call *c)
{
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL))
        return;
    err = gc_registration_delete(c->ctx, c->who, api_param(c, 0), &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_graph_connector_list(struct api_call *c)
{
    json_t *out = NULL;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL))
        return;
    if ((err = gc_admin_list(c->ctx, &out)))
        api_fail(c, err);
    else
        api_json(c, 200, out);
}

void api_graph_connector_patch(struct api_call *c)
{
    struct store_gc_switch sw;
    bool enabled = false, present = false;
    json_t *body;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL) || !(body = api_body_object(c)))
        return;
    err = sb_json_bool(body, "enabled", &enabled, &present, &c->diag);
    json_decref(body);
    if (!err && !present)
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "enabled is required");
    if (!err)
        err = gc_switch_set(c->ctx, c->who, api_param(c, 0), enabled, &sw, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200,
             json_pack("{s:s,s:b,s:s,s:s}", "appId", sw.app_id, "enabled", sw.enabled,
                       "notificationId", sw.job_id, "updatedDateTime", sw.updated));
}
