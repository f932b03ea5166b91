/*
 * store/forwards.h: forwards and their deliveries (src/forward).
 *
 * Part of the store's interface (store/store.h states its rules); SQLite and PostgreSQL alike.
 * The deliveries of a new message are written by the message's own insert
 * (store_forward_fanout_tx, called from store_message_insert), with their outbox jobs, so that
 * every path that stores a message forwards it, in the same transaction.
 */
#ifndef SB_STORE_FORWARDS_H
#define SB_STORE_FORWARDS_H

#include "core/sb.h"
#include "model/forwards.h"
#include "model/outbox.h"

#include <stddef.h>

struct store;
struct sb_audit;

/* The outbox kind of a delivery's job; its payload is {"delivery": id}. */
#define STORE_FORWARD_JOB_KIND "forward"

/* Writes of a forward carry their audit entry (same transaction). */
sb_err store_forward_insert(struct store *st, const struct sb_forward *f,
                            const struct sb_audit *audit);
sb_err store_forward_get(struct store *st, const char *id, struct sb_forward *out);
/* The forwards of a channel, oldest first (caller frees *out). */
sb_err store_forward_list(struct store *st, const char *channel_id, struct sb_forward **out,
                          size_t *n);
/* Replaces name, url, recipients, filters and updated of f->id. SB_ERR_NOT_FOUND when gone. */
sb_err store_forward_update(struct store *st, const struct sb_forward *f,
                            const struct sb_audit *audit);
sb_err store_forward_delete(struct store *st, const char *id, const struct sb_audit *audit);

/* The newest top deliveries of a forward (caller frees *out). */
sb_err store_forward_deliveries(struct store *st, const char *forward_id, size_t top,
                                struct sb_forward_delivery **out, size_t *n);
sb_err store_forward_delivery_get(struct store *st, const char *id,
                                  struct sb_forward_delivery *out);
/* Records an attempt's outcome (status, attempts, http_status, error, response, last_attempt). */
sb_err store_forward_delivery_record(struct store *st, const struct sb_forward_delivery *dl);
/* Sets the delivery pending again and writes job (its payload text) in the same transaction. */
sb_err store_forward_delivery_retry(struct store *st, const char *id,
                                    const struct sb_outbox_job *job, const char *payload);

#endif
