/*
 * pool.h: the password-hashing pool. Argon2id takes 64 MiB and tens of milliseconds per check;
 * run on the HTTP threads, a handful of guessers would stall every other request. Sign-in
 * handlers defer their connection, hand the check to this pool (a few threads, a bounded
 * queue) and finish when it resumes them.
 *
 * auth_pool_submit never blocks: a full queue or a stopped pool is SB_ERR_UNAVAILABLE (the
 * caller answers 503 with Retry-After). auth_pool_stop runs every job already queued, joins the
 * threads and refuses later submissions; call it before the HTTP server stops, so that every
 * deferred connection is resumed while the server can still answer it.
 */
#ifndef SB_AUTH_POOL_H
#define SB_AUTH_POOL_H

#include "core/sb.h"

#define AUTH_POOL_THREADS 2
#define AUTH_POOL_QUEUE 32

struct auth_pool;

sb_err auth_pool_new(int threads, size_t queue_cap, struct auth_pool **out);
/* Queues fn(arg) to run on a pool thread (a NULL pool refuses). */
sb_err auth_pool_submit(struct auth_pool *p, void (*fn)(void *arg), void *arg);
/* Drains the queue and joins the threads; idempotent, NULL is a no-op. */
void auth_pool_stop(struct auth_pool *p);
/* Stops the pool if needed and frees it (NULL is a no-op). */
void auth_pool_free(struct auth_pool *p);

#endif
