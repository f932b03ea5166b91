/*
 * store/readstate.h: how far each person has read each channel (readstate.c).
 *
 * Part of the store's interface (store/store.h states its rules); SQLite and PostgreSQL
 * implement it alike. Unread counts are computed when asked, from the read position and the
 * messages_channel index: nothing is counted up on every message.
 */
#ifndef SB_STORE_READSTATE_H
#define SB_STORE_READSTATE_H

#include "core/sb.h"
#include "model/conversation.h"

#include <stddef.h>
#include <stdint.h>

struct store;

/* Sets user_id's read position in channel_id to the message seq/message_id (moving it back
 * too: "mark as unread"). */
sb_err store_read_state_set(struct store *st, const char *user_id, const char *channel_id,
                            int64_t seq, const char *message_id, const char *now);
/* Unread counts stop here: "at least 100", which the web client shows as "99+", as Teams does.
 * Counting further would cost a walk of every unread message, for a number nobody reads. */
#define STORE_UNREAD_MAX 100

/* Every channel of the teams user_id belongs to, by team and channel id, with its unread count
 * (messages after the read position whose sender is not user_id, at most STORE_UNREAD_MAX);
 * *out is a heap array. */
sb_err store_channel_states(struct store *st, const char *user_id, struct sb_channel_state **out,
                            size_t *n);

#endif
