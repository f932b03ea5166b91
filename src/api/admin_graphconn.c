/*
 * admin_graphconn.c: the administrator's Graph connector routes: /api/v1/admin/applications
 * (application identities for the token endpoint: client ids and secrets) and its older alias
 * /api/v1/admin/appRegistrations, and /api/v1/admin/graphConnectors (a contract addition:
 * catalog apps with a graphConnector, their switch, notification and connections).
 */
#include "api/api.h"

#include "core/json.h"
#include "graphconn/graphconn.h"

#include <sodium.h>
#include <stdlib.h>

/* The contract's form (/api/v1/admin/applications) names things as Entra does: appId is the
 * application's own id, the client_id of the token endpoint, and the answer says which tenant
 * issues its tokens; the catalog app a registration belongs to is teamsAppId there. The older
 * /api/v1/admin/appRegistrations keeps its names (clientId, and appId for the catalog app). */
static json_t *render(struct api_call *c, const struct sb_gc_registration *reg, bool contract)
{
    json_t *o = gc_render_registration(reg);

    if (o && contract &&
        (json_object_set(o, "teamsAppId", json_object_get(o, "appId")) ||
         json_object_set_new(o, "appId", json_string(reg->id)) ||
         json_object_set_new(o, "tenantId", json_string(c->ctx->tenant_id)))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

/* In the contract's form the body names the catalog app teamsAppId; appId is ours to give. */
static sb_err body_to_registration(struct api_call *c, json_t *body)
{
    json_t *teams_app = json_object_get(body, "teamsAppId");

    if (json_object_get(body, "appId"))
        return sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                       "appId is assigned by the server; name the catalog app with teamsAppId");
    if (teams_app &&
        (json_object_set(body, "appId", teams_app) || json_object_del(body, "teamsAppId")))
        return SB_ERR_NOMEM;
    return SB_OK;
}

static void registration_create(struct api_call *c, bool contract)
{
    struct sb_gc_registration reg;
    char secret[GC_SECRET_LEN + 1];
    json_t *body, *out;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    err = contract ? body_to_registration(c, body) : SB_OK;
    if (!err)
        err = gc_registration_create(c->ctx, c->who, body, &reg, secret, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    out = render(c, &reg, contract);
    if (out)
        json_object_set_new(out, "clientSecret", json_string(secret));
    sodium_memzero(secret, sizeof(secret));
    api_json(c, 201, out);
}

static void registration_list(struct api_call *c, bool contract)
{
    struct sb_gc_registration *regs = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    if ((err = gc_registration_list(c->ctx, c->who, &regs, &n, &c->diag))) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, render(c, &regs[i], contract));
    free(regs);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_app_registration_create(struct api_call *c)
{
    registration_create(c, false);
}

void api_app_registration_list(struct api_call *c)
{
    registration_list(c, false);
}

void api_application_create(struct api_call *c)
{
    registration_create(c, true);
}

void api_application_list(struct api_call *c)
{
    registration_list(c, true);
}

void api_app_registration_delete(struct api_call *c)
{
    sb_err err;

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

    if ((err = gc_admin_list(c->ctx, c->who, &out, &c->diag)))
        api_fail(c, err);
    else
        api_json(c, 200, out);
}

void api_graph_connector_patch(struct api_call *c)
{
    struct sb_gc_switch sw;
    bool enabled = false, present = false;
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
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
