/*
 * pool.h: the password-hashing pool. Argon2id takes 64 MiB and tens of milliseconds per check;
 * run on the HTTP threads, a handful of guessers would stall every other request. Sign-in
 * handlers defer their connection, hand the check to this pool (a few threads, a bounded
 * queue) and finish when it resumes them.
 *
 * auth_pool_submit never blocks: a full queue or a stopped pool is SB_ERR_UNAVAILABLE (the
 * caller answers 503 with Retry-After). auth_pool_stop refuses later submissions, calls every
 * job still queued with cancelled = true on the calling thread (at once, without the work:
 * shutdown waits for at most one hash per thread), then lets the jobs in progress finish and
 * joins the threads. Call it before
 * the HTTP server stops, so that every deferred connection is resumed while the server can
 * still answer it.
 */
#ifndef SB_AUTH_POOL_H
#define SB_AUTH_POOL_H

#include "core/sb.h"

#include <stdbool.h>

#define AUTH_POOL_THREADS 2
#define AUTH_POOL_QUEUE 32

struct auth_pool;

sb_err auth_pool_new(int threads, size_t queue_cap, struct auth_pool **out);
/* fn runs once per accepted job: on a pool thread, or cancelled (on the thread that stops the
 * pool, or a pool thread) when the pool stopped before the job began. */
typedef void (*auth_pool_fn)(void *arg, bool cancelled);

/* Queues fn(arg) (a NULL pool refuses). */
sb_err auth_pool_submit(struct auth_pool *p, auth_pool_fn fn, void *arg);
/* Drains the queue and joins the threads; idempotent, NULL is a no-op. */
void auth_pool_stop(struct auth_pool *p);
/* Stops the pool if needed and frees it (NULL is a no-op). */
void auth_pool_free(struct auth_pool *p);

#endif
