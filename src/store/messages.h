/*
 * store/messages.h: messages (messages.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_MESSAGES_H
#define SB_STORE_MESSAGES_H

#include "core/sb.h"
#include "model/messages.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Appends m durably and sets m->seq. */
sb_err store_message_append(struct store *st, struct sb_message *m);
/* Up to limit messages of the channel with seq < before (0 = from the newest), newest first. */
sb_err store_message_page(struct store *st, const char *channel_id, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n);
/* Messages with seq > after in teams user_id belongs to (every team when user_id is NULL),
 * oldest first: what an event stream missed. */
sb_err store_message_since(struct store *st, const char *user_id, int64_t after, size_t limit,
                           struct sb_message **out, size_t *n);
/* The highest seq stored so far (0 when there is none). */
sb_err store_message_last_seq(struct store *st, int64_t *out);
/* One message by id (heap fields: store_message_free). */
sb_err store_message_get(struct store *st, const char *id, struct sb_message *out);
/* Replaces a message's attachments (a card updated by its service); the other processes are
 * told ("u NODE MESSAGE TEAM") so their subscribers see the new card. */
sb_err store_message_set_attachments(struct store *st, const char *id, const char *team_id,
                                     const char *attachments);
/* A team's connector posts from configurations of client type app_type ("groups": the group
 * feed), newest first, seq < before (0 = from the newest). */
sb_err store_message_feed(struct store *st, const char *team_id, const char *app_type,
                          int64_t before, size_t limit, struct sb_message **out, size_t *n);
void store_message_free(struct sb_message *m);
void store_message_free_array(struct sb_message *ms, size_t n);

#endif
