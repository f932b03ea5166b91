/*
 * admin_api.c: organisation settings for global administrators.
 */
#include "api/api.h"

#include "org/org.h"

void api_org_get(struct api_call *c)
{
    json_t *o = NULL;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL))
        return;
    err = org_settings_render(c->ctx, &o);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, o);
}

void api_org_patch(struct api_call *c)
{
    json_t *body, *o = NULL;
    sb_err err;

    if (!api_can(c, SB_ACT_ADMIN, NULL, NULL, NULL))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    err = org_settings_patch(c->ctx, body, &c->diag);
    json_decref(body);
    if (!err)
        err = org_settings_render(c->ctx, &o);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, o);
}
