/*
 * health.h: what /readyz and /metrics ask of the running installation's store, so that the
 * handlers need not know the store.
 */
#ifndef SB_HEALTH_H
#define SB_HEALTH_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>

/* SB_OK when the store answers a trivial query (a load balancer stops sending here when the
 * database is gone). */
sb_err health_store_ping(struct sb_ctx *ctx);
/* Writes waiting for the next group commit. */
size_t health_write_queue_depth(struct sb_ctx *ctx);

/* Whether a caller may read /metrics: the host's own scraper (peer is a loopback address) or
 * one holding --metrics-token (authorization is "Bearer <token>", compared in constant time).
 * peer and authorization may be NULL. Behind a reverse proxy on the same host every caller is
 * loopback: the proxy must not forward /metrics (docs/deploy.md). */
bool health_metrics_allowed(struct sb_ctx *ctx, const char *peer, const char *authorization);

#endif
