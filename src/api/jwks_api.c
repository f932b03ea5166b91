/*
 * jwks_api.c: the key discovery documents of Switchboard's own tokens (public routes):
 * GET /.well-known/openid-configuration, the same under /{tenant}/v2.0/, and the JWKS.
 * A service that receives our tokens verifies them with any standard JWT library.
 */
#include "api/api.h"

#include "auth/jwt.h"

#include <string.h>

static void send_doc(struct api_call *c, sb_err err, json_t *doc)
{
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, doc);
}

void api_openid_configuration(struct api_call *c)
{
    json_t *doc = NULL;
    sb_err err = jwt_openid_configuration(c->ctx, &doc);

    send_doc(c, err, doc);
}

/* Azure AD shaped path: the tenant segment is ours, or "common" / "organizations". */
void api_openid_configuration_tenant(struct api_call *c)
{
    const char *tenant = api_param(c, 0);

    if (strcmp(tenant, c->ctx->tenant_id) != 0 && strcmp(tenant, "common") != 0 &&
        strcmp(tenant, "organizations") != 0) {
        api_failf(c, SB_ERR_NOT_FOUND, "NotFound", "unknown tenant");
        return;
    }
    api_openid_configuration(c);
}

void api_jwks(struct api_call *c)
{
    json_t *doc = NULL;
    sb_err err = jwt_jwks(c->ctx, &doc);

    send_doc(c, err, doc);
}
