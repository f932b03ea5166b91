/*
 * metrics.h: process counters exported at /metrics in the Prometheus text format.
 * Updated with relaxed atomics from any thread; owned by main() and reached through sb_ctx.
 */
#ifndef SB_METRICS_H
#define SB_METRICS_H

#include <stdatomic.h>

struct sb_metrics {
    atomic_ullong http_requests[6]; /* by status class: index 1..5 for 1xx..5xx */
    atomic_ullong messages_stored;
    atomic_ullong logins_failed;
    atomic_ullong password_hashes;   /* argon2id computations for sign-ins (auth_login) */
    atomic_ullong signins_throttled; /* sign-ins refused with 429 before hashing */
    atomic_int proxy_in_flight;      /* configuration-page requests being relayed (proxy/proxy.c) */
    long long started_ms;
};

#endif
