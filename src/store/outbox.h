/*
 * store/outbox.h: the durable outbox, for src/outbox (outbox.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_OUTBOX_H
#define SB_STORE_OUTBOX_H

#include "core/sb.h"
#include "model/outbox.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Inserts a pending job (j->state, attempts ignored) with its payload (JSON text). */
sb_err store_outbox_insert(struct store *st, const struct sb_outbox_job *j, const char *payload);
/* The job; *payload (may be NULL to skip) is heap JSON text. */
sb_err store_outbox_get(struct store *st, const char *id, struct sb_outbox_job *out,
                        char **payload);
/* The earliest next_at of a pending job whose lease has run out at now_ms (*due = INT64_MAX
 * when there is none): a read, so an idle worker does not write. */
sb_err store_outbox_next_due(struct store *st, int64_t now_ms, int64_t *due);
/* Claims one due pending job for owner until lease_until_ms and counts the attempt; at most one
 * process wins a job (the UPDATE re-checks the lease). SB_ERR_NOT_FOUND when none is due. */
sb_err store_outbox_claim(struct store *st, int64_t now_ms, int64_t lease_until_ms,
                          const char *owner, struct sb_outbox_job *out, char **payload);
/* A lane of the table: jobs of one kind only (only = true), or of every kind but one. */
struct store_outbox_lane {
    const char *kind;
    bool only;
};
/* store_outbox_next_due and store_outbox_claim within a lane (NULL: every job). */
sb_err store_outbox_next_due_lane(struct store *st, int64_t now_ms,
                                  const struct store_outbox_lane *lane, int64_t *due);
sb_err store_outbox_claim_lane(struct store *st, int64_t now_ms, int64_t lease_until_ms,
                               const char *owner, const struct store_outbox_lane *lane,
                               struct sb_outbox_job *out, char **payload);
/* Records the result of a run by owner: state "pending" (retry at next_at_ms), "done" or
 * "failed". SB_ERR_NOT_FOUND when owner no longer holds the lease. */
sb_err store_outbox_finish(struct store *st, const char *id, const char *owner, const char *state,
                           int64_t next_at_ms, const char *last_error, int64_t now_ms);
/* Clears every lease (a single process owning the database restarts after a crash). */
sb_err store_outbox_release_leases(struct store *st);

#endif
