/*
 * ratelimit.h: a token bucket per webhook (posts per second, bursts up to one second's worth).
 *
 * This is an in-process cache of bucket states, keyed by configuration id: it is the only
 * mutable state the ingestion path shares between threads, striped over mutexes so that posts
 * to different webhooks do not contend. (Across several server processes each node keeps its
 * own buckets; the PostgreSQL issue replaces this with a shared scheme.)
 */
#ifndef SB_RATELIMIT_H
#define SB_RATELIMIT_H

#include "core/sb.h"

#include <stdbool.h>

struct webhook_limiter;

/* rate: tokens per second; 0 disables limiting. */
sb_err webhook_limiter_new(double rate, struct webhook_limiter **out);
/* Changes the rate (SIGHUP); buckets keep their tokens, capped by the new burst. */
void webhook_limiter_set_rate(struct webhook_limiter *l, double rate);
void webhook_limiter_free(struct webhook_limiter *l);
/* Takes a token for key (an id; longer keys all share one bucket). When none is left returns
 * false and sets *retry_after_s (>= 1). */
bool webhook_limiter_take(struct webhook_limiter *l, const char *key, int64_t now_ms,
                          int *retry_after_s);

#endif
