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

/* What the permission check and the thread rules need of a message, without its text. */
struct store_message_ref {
    sb_id channel_id;
    char from_kind[16]; /* "user" or "application" */
    sb_id from_id;
    sb_id reply_to;  /* "" for a message of the channel */
    sb_time deleted; /* "" unless soft-deleted */
};

/* Appends m and its mentions durably (one transaction) and sets m->seq. */
sb_err store_message_append(struct store *st, struct sb_message *m);
/* Up to limit messages of the channel with seq < before (0 = from the newest), newest first. */
sb_err store_message_page(struct store *st, const char *channel_id, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n);
/* Up to limit replies to parent_id (of channel_id) with seq < before (0 = from the newest),
 * newest first, with their reactions. */
sb_err store_message_replies(struct store *st, const char *channel_id, const char *parent_id,
                             int64_t before, size_t limit, struct sb_message **out, size_t *n);
/* How many replies parent_id has (deleted ones included, as the list of replies shows them). */
sb_err store_message_reply_count(struct store *st, const char *parent_id, int64_t *out);
/* Messages with seq > after in teams user_id belongs to (every team when user_id is NULL),
 * oldest first: what an event stream missed. */
sb_err store_message_since(struct store *st, const char *user_id, int64_t after, size_t limit,
                           struct sb_message **out, size_t *n);
/* The highest seq stored so far (0 when there is none). */
sb_err store_message_last_seq(struct store *st, int64_t *out);
/* One message by id, with its reactions and mentions (heap fields: store_message_free). */
sb_err store_message_get(struct store *st, const char *id, struct sb_message *out);
/* Where a message is and who wrote it; SB_ERR_NOT_FOUND when there is no such message. */
sb_err store_message_ref(struct store *st, const char *id, struct store_message_ref *out);
/* Replaces the body and the mentions (ms[0..n), may be none) of a message that is not deleted
 * and sets edited_at (SB_ERR_CONFLICT when it was deleted meanwhile or is gone); its team's
 * subscribers on every process are told ("u" notification, as store_message_set_attachments). */
sb_err store_message_edit(struct store *st, const char *id, const char *team_id,
                          const char *body_type, const char *body, const char *edited,
                          const struct sb_mention *mentions, size_t n_mentions);
/* Soft-deletes a message at time deleted, or undoes that (deleted NULL); *changed says whether
 * it was not already so (and only then are the subscribers told). */
sb_err store_message_set_deleted(struct store *st, const char *id, const char *team_id,
                                 const char *deleted, bool *changed);
/* Sets user_id's reaction to message_id to type (replacing another type of theirs), or removes
 * it when it is that type (set false); the subscribers are told when something changed. */
sb_err store_reaction_put(struct store *st, const char *message_id, const char *team_id,
                          const char *user_id, const char *type, const char *created, bool set);
/* Fills the reactions of m (m->reactions, m->n_reactions). */
sb_err store_message_reactions_of(struct store *st, struct sb_message *m);
/* Fills the reactions of ms[0..n), in one query over the page's seq range: a page of
 * parent_id's replies, else of channel_id's messages, else (both NULL) of any channels. */
sb_err store_message_reactions_fill(struct store *st, const char *channel_id, const char *parent_id,
                                    struct sb_message *ms, size_t n);
/* Fills the mentions of m (m->mentions, m->n_mentions). */
sb_err store_message_mentions_of(struct store *st, struct sb_message *m);
/* Fills the mentions of ms[0..n), in one query over the page's seq range: a page of
 * channel_id's messages or replies, else (NULL) of any channels. */
sb_err store_message_mentions_fill(struct store *st, const char *channel_id, struct sb_message *ms,
                                   size_t n);
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
