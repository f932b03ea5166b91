/*
 * outbound.c: the outboundAllowedHosts setting as a question (see org.h).
 */
#include "org/org.h"

#include "net/url.h"
#include "store/settings.h"

#include <stdlib.h>

sb_err org_fetch_policy(struct sb_ctx *ctx, struct fetch_policy *out)
{
    sb_err err = store_setting_get(ctx->store, "outboundAllowedHosts", &out->allowed_hosts);

    if (err == SB_ERR_NOT_FOUND) {
        out->allowed_hosts = NULL;
        return SB_OK;
    }
    if (err)
        out->allowed_hosts = NULL;
    return err;
}

void org_fetch_policy_free(struct fetch_policy *p)
{
    free(p->allowed_hosts);
    p->allowed_hosts = NULL;
}

sb_err org_outbound_allowed(struct sb_ctx *ctx, const char *host, int port, bool *allowed)
{
    struct fetch_policy p;
    sb_err err = org_fetch_policy(ctx, &p);

    *allowed = !err && net_url_host_listed(p.allowed_hosts, host, port);
    org_fetch_policy_free(&p);
    return err;
}
