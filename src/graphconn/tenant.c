/*
 * tenant.c: Graph's tenantInformation for this installation's tenant (connector SDKs look the
 * tenant up before they create connections).
 */
#include "graphconn/graphconn.h"

#include "core/config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

sb_err gc_tenant_information(struct sb_ctx *ctx, const struct sb_principal *who,
                             const char *tenant_id, json_t **out, struct sb_diag *diag)
{
    const char *url = ctx->cfg->public_url, *host = strstr(url, "://");
    char domain[sizeof(ctx->cfg->public_url)];
    char context[sizeof(ctx->cfg->public_url) + 64];
    sb_err err = sb_can(ctx, who, SB_ACT_TENANT_READ, NULL, diag);

    *out = NULL;
    if (err)
        return err;
    if (strcasecmp(tenant_id, ctx->tenant_id) != 0)
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "tenant '%s' not found", tenant_id);
    /* The public URL's host stands for the tenant's domain. */
    snprintf(domain, sizeof(domain), "%s", host ? host + 3 : url);
    domain[strcspn(domain, ":/[")] = '\0';
    snprintf(context, sizeof(context), "%s/v1.0/$metadata#microsoft.graph.tenantInformation", url);
    *out = json_pack("{s:s,s:s,s:n,s:s,s:s}", "@odata.context", context, "tenantId", ctx->tenant_id,
                     "federationBrandName", "displayName", "Switchboard", "defaultDomainName",
                     domain[0] ? domain : "localhost");
    return *out ? SB_OK : SB_ERR_NOMEM;
}
