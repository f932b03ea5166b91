/*
 * model/messages.h: a channel message, posted by a person or by a connector.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/messages.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_MESSAGES_H
#define SB_MODEL_MESSAGES_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest reactionType kept: a Teams name or one emoji sequence (a family or a flag with its
 * modifiers is at most about 35 bytes of UTF-8). */
#define SB_REACTION_MAX 64

/* One person's reaction to a message (one per person per message, as Teams has it). */
struct sb_reaction {
    char type[SB_REACTION_MAX + 1]; /* "like", "heart", ... or a unicode emoji */
    sb_id user_id;
    char user_name[SB_NAME_MAX + 1];
    sb_time created;
};

/* A channel message as stored; body, summary, attachments, card_text and reactions are on the
 * heap. */
struct sb_message {
    int64_t seq; /* store-wide, increasing; orders messages and resumes event streams */
    sb_id id;
    sb_id team_id;
    sb_id channel_id;
    sb_time created;
    char from_kind[16]; /* "user" or "application" */
    sb_id from_id;
    char from_name[SB_NAME_MAX + 1];
    char body_type[8]; /* "text" or "html" */
    char *body;
    char *summary;        /* may be NULL */
    char *attachments;    /* JSON array text; may be NULL */
    char from_image[128]; /* connectors: path of the sender's avatar, "" when none */
    sb_id reply_to;       /* the parent message of a reply, "" for a message of the channel */
    sb_time edited;       /* when its author last edited the body, "" when never */
    sb_time deleted;      /* when it was soft-deleted, "" while it is there */
    struct sb_reaction *reactions; /* oldest first; NULL when none */
    size_t n_reactions;
    char *card_text; /* the text of its cards (core/cardtext.h) when the service that built them
                        has it, so the store need not parse them again to index the message;
                        NULL: the store reads it from attachments. Not stored: NULL on reads. */
};

#endif
