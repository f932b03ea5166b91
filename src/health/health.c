#include "health/health.h"

#include "core/config.h"
#include "store/store.h"

#include <sodium.h>
#include <string.h>
#include <strings.h>

sb_err health_store_ping(struct sb_ctx *ctx)
{
    return store_ping(ctx->store);
}

size_t health_write_queue_depth(struct sb_ctx *ctx)
{
    return store_write_queue_depth(ctx->store);
}

bool health_metrics_allowed(struct sb_ctx *ctx, const char *peer, const char *authorization)
{
    const char *token = ctx->cfg->metrics_token;
    size_t n = strlen(token);

    if (peer && (strncmp(peer, "127.", 4) == 0 || strcmp(peer, "::1") == 0 ||
                 strncmp(peer, "::ffff:127.", 11) == 0))
        return true;
    if (!n || !authorization || strncasecmp(authorization, "Bearer ", 7) != 0)
        return false;
    authorization += 7;
    return strlen(authorization) == n && sodium_memcmp(authorization, token, n) == 0;
}
