/*
 * sb.h: the few types every layer shares.
 *
 * Error convention: every fallible function returns an sb_err (SB_OK is 0) and writes results
 * through out parameters. A function that can explain a failure to the caller's user takes a
 * struct sb_diag * and fills it with sb_fail(); the api layer maps (code, diag) to an HTTP status
 * and the Graph error shape in one place (api/respond.c).
 */
#ifndef SB_H
#define SB_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    SB_OK = 0,
    SB_ERR_INVALID,      /* bad input: 400 */
    SB_ERR_UNAUTHORIZED, /* no or bad credentials: 401 */
    SB_ERR_FORBIDDEN,    /* visible but not allowed: 403 */
    SB_ERR_NOT_FOUND,    /* unknown or invisible: 404 */
    SB_ERR_CONFLICT,     /* 409 */
    SB_ERR_TOO_LARGE,    /* 413 */
    SB_ERR_THROTTLED,    /* 429 */
    SB_ERR_NOMEM,        /* 500 */
    SB_ERR_IO,           /* store or system failure: 500 */
    SB_ERR_UNAVAILABLE,  /* shutting down or store not ready: 503 */
} sb_err;

/* What went wrong, in words for the person who sent the request. */
struct sb_diag {
    char code[48];     /* Graph-style machine code, e.g. "invalidRequest" */
    char message[320]; /* human text naming the field and the rule */
};

/* Fills diag (if not NULL) with code and a printf-style message; returns err for tail calls:
 *   return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "displayName is required"); */
sb_err sb_fail(struct sb_diag *diag, sb_err err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

const char *sb_err_name(sb_err err);

/* Sizes of identifiers and timestamps as stored and sent. */
#define SB_ID_LEN 36    /* GUID text, without the NUL */
#define SB_TIME_LEN 24  /* "2026-11-25T09:35:24.123Z" */
#define SB_NAME_MAX 256 /* display names, UPNs, channel names (bytes) */
#define SB_DESC_MAX 1024

typedef char sb_id[SB_ID_LEN + 1];
typedef char sb_time[SB_TIME_LEN + 1];

struct store;
struct sb_config;
struct sb_metrics;
struct webhook_limiter;
struct events_bus;
struct org_cache;
struct outbox;
struct jwt_cache;
struct proxy_relays;

/* Time and randomness come through the context so that tests can fix them. */
struct sb_clock {
    int64_t (*now_ms)(void *arg);                   /* milliseconds since the epoch, UTC */
    void (*random)(void *buf, size_t n, void *arg); /* cryptographic randomness */
    void *arg;
};

struct sb_ctx {
    struct store *store;
    const struct sb_config *cfg;
    struct sb_metrics *metrics;
    struct sb_clock clock;
    char tenant_id[SB_ID_LEN + 1];
    unsigned char webhook_key[32];   /* signs webhook URLs; generated at first start */
    struct webhook_limiter *limiter; /* per-webhook token buckets */
    struct events_bus *bus;          /* live events to SSE subscribers */
    struct org_cache *org;           /* organisation settings, refreshed every 500 ms */
    struct outbox *outbox;           /* durable jobs and their worker (NULL: no worker) */
    struct outbox *forward_outbox;   /* the forwards' jobs, a worker of their own (NULL: none) */
    struct jwt_cache *jwt;           /* cache of the token signing keys (NULL: read the store) */
    struct webhook_limiter *gc_item_limiter; /* Graph connector items per connection */
    struct auth_pool *auth_pool;             /* password hashing off the HTTP threads */
    struct auth_pool *oidc_pool; /* single sign-on's calls to the provider (auth/oidc.h) */
    struct proxy_relays *relays; /* the configuration-page proxy's relay threads (NULL: none) */
};

int64_t sb_now_ms(const struct sb_ctx *ctx);
void sb_random(const struct sb_ctx *ctx, void *buf, size_t n);

/* The real clock and randomness (time(2) and libsodium). */
struct sb_clock sb_clock_system(void);

#endif
