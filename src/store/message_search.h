/*
 * store/message_search.h: the words messages are found by, and message search
 * (message_search.c).
 *
 * Part of the store's interface (store/store.h states its rules). A message's search text is
 * its text (HTML tags removed, the common entities decoded), its summary and the text of its
 * cards (core/cardtext.h), one piece a line; the cards' text comes from the message's card_text
 * when the service that built the cards gave it (cards/ does), else from its attachments. The
 * store writes it whenever it writes a message or a message's card, in the same transaction,
 * so every writer of messages gets it without asking; the index over it is FTS5 on SQLite and
 * a tsvector with a GIN index on PostgreSQL (migration 014).
 */
#ifndef SB_STORE_MESSAGE_SEARCH_H
#define SB_STORE_MESSAGE_SEARCH_H

#include "core/cardtext.h"
#include "core/sb.h"
#include "model/conversation.h"

#include <stddef.h>
#include <stdint.h>

struct store;
struct db;

#define STORE_SEARCH_TEXT_MAX SB_CARD_TEXT_MAX /* bytes of a message's search text kept */

/* m's search text (heap, never NULL on success; "" for a message without text). */
sb_err store_message_search_text(const struct sb_message *m, char **out);

/* Recomputes the search text of message id inside the caller's write transaction: for every
 * write that changes a stored message's body or cards. */
sb_err store_message_reindex_tx(struct db *d, const char *id);

/* Queues the search text of message seq, just inserted with search_text NULL, for
 * store_message_index_flush (d->defer_index: SQLite's group commit). Why: FTS5 flushes its
 * pending terms into a new segment of its index at every savepoint and statement boundary
 * once it has been written in a transaction; the group commit gives every write a savepoint,
 * so indexing each message as it is inserted wrote (and later merged) one segment per post.
 * Set in one statement after the batch's last savepoint, the batch's terms make one segment. */
sb_err store_message_index_defer(struct db *d, int64_t seq, const char *text);

/* Sets the queued search texts (one UPDATE: migration 014's trigger indexes them) and empties
 * the queue. The group commit calls it after its last write and before its COMMIT, so a
 * message is searchable once its post is acknowledged. */
sb_err store_message_index_flush(struct db *d);

/* Indexes the messages stored before the index existed (search_text NULL), in transactions of
 * at most STORE_PRUNE_BATCH messages; *done (may be NULL) gets how many. Idempotent. */
sb_err store_message_index_backfill(struct store *st, int64_t *done);

struct store_message_query {
    const char *user_id;      /* only messages of this person's teams; NULL: every team */
    const char *const *terms; /* words (core/words.h): all must occur */
    size_t nterms;
    int64_t from, size;
    int64_t count_max; /* count at most this many matches (at least from + size + 1 are) */
};

/* The page [from, from + size) of the messages holding every term, newest first; *total is
 * how many match in all, counted up to q->count_max (or from + size + 1 when that is more):
 * a total at that bound means "at least". *out is a heap array:
 * store_message_hit_free_array. */
sb_err store_message_search(struct store *st, const struct store_message_query *q,
                            struct sb_message_hit **out, size_t *n, int64_t *total);
void store_message_hit_free_array(struct sb_message_hit *h, size_t n);

#endif
