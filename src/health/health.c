#include "health/health.h"

#include "store/store.h"

sb_err health_store_ping(struct sb_ctx *ctx)
{
    return store_ping(ctx->store);
}

size_t health_write_queue_depth(struct sb_ctx *ctx)
{
    return store_write_queue_depth(ctx->store);
}
