/*
 * outbox.h: a durable outbox.
 *
 * A job is a row (kind, payload JSON, attempts, next_at, state pending|done|failed, last_error)
 * written through store_write() before outbox_enqueue returns, so a caller that acknowledges
 * after enqueueing never loses the work. One worker thread per process (started in main.c,
 * stopped on shutdown) claims due jobs, runs the handler registered for the kind, and records
 * the result: OUTBOX_DONE, OUTBOX_FAIL (give up), or OUTBOX_RETRY (again after *retry_in_ms;
 * when the handler leaves it at 0, exponential backoff from 1 s up to 5 min). After
 * OUTBOX_MAX_ATTEMPTS runs a retry becomes a failure.
 *
 * Claims take a lease (OUTBOX_LEASE_MS) so that several server processes on one PostgreSQL
 * database never run the same job at once; a job whose process died is run again when its
 * lease runs out (at-least-once: handlers must tolerate a repeated run). A single SQLite process
 * clears leftover leases at start, so pending jobs run at once after a restart or kill -9.
 * A job of a kind nobody registered stays pending. Handlers run on the worker thread, one at a
 * time; they may block (outbound HTTP) but should bound their time well below the lease.
 */
#ifndef SB_OUTBOX_H
#define SB_OUTBOX_H

#include "core/sb.h"
#include "model/outbox.h"

#include <stdbool.h>

#include <jansson.h>

#define OUTBOX_LEASE_MS (30LL * 1000)
#define OUTBOX_MAX_ATTEMPTS 20
#define OUTBOX_POLL_MS 1000 /* how often other processes' jobs are looked for */

typedef enum { OUTBOX_DONE, OUTBOX_RETRY, OUTBOX_FAIL } outbox_result;

/* payload is borrowed; attempt counts from 1; error (error_cap bytes) is the reason recorded
 * for RETRY and FAIL. */
typedef outbox_result (*outbox_handler)(struct sb_ctx *ctx, const char *job_id, json_t *payload,
                                        int attempt, int64_t *retry_in_ms, char *error,
                                        size_t error_cap);

struct outbox;

sb_err outbox_new(struct outbox **out);
/* Register every kind before outbox_start. */
sb_err outbox_register(struct outbox *ob, const char *kind, outbox_handler h);
/* outbox_register with another limit of runs than OUTBOX_MAX_ATTEMPTS, for a kind whose handler
 * decides itself when to give up (forwards retry for 24 hours). */
sb_err outbox_register_limit(struct outbox *ob, const char *kind, outbox_handler h,
                             int max_attempts);
/* Makes ob run only jobs of kind (only = true) or every job but those (only = false), so that a
 * kind whose handler may wait on slow destinations (forwards) has a worker of its own and does
 * not hold up the others (card actions). Set before outbox_start. A lane of one kind does not
 * clear leases at start: start it after the outbox of the other kinds, which does. */
sb_err outbox_set_lane(struct outbox *ob, const char *kind, bool only);
/* Starts the worker thread (ctx must outlive outbox_stop). */
sb_err outbox_start(struct outbox *ob, struct sb_ctx *ctx);
/* Stops the worker after the handler in progress returns; idempotent. */
void outbox_stop(struct outbox *ob);
void outbox_free(struct outbox *ob);

/* Stores a pending job due now and wakes this process's worker. */
sb_err outbox_enqueue(struct sb_ctx *ctx, const char *kind, json_t *payload,
                      char job_id[SB_ID_LEN + 1]);
/* Fills *job (a new id, kind, due now) and *text (payload as JSON text, heap; caller frees)
 * without writing: for a store function that writes the job in the same transaction as the
 * change it follows up (one transaction per operation), after which the caller kicks. */
sb_err outbox_prepare(struct sb_ctx *ctx, const char *kind, json_t *payload,
                      struct sb_outbox_job *job, char **text);
/* Wakes the worker (after a job was inserted with store_outbox_insert_tx by a domain write). */
void outbox_kick(struct outbox *ob);
sb_err outbox_get(struct sb_ctx *ctx, const char *job_id, struct sb_outbox_job *out);

/* Runs the jobs due now on the calling thread until none is left (or max runs); *ran gets
 * the count. For tests and the command line; the worker uses the same path. */
sb_err outbox_run_due(struct outbox *ob, struct sb_ctx *ctx, int max, int *ran);

#endif
