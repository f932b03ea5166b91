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

/* Most mentions one message may carry (contract §6 leaves it open; Teams' own client stops
 * well below this). */
#define SB_MENTIONS_MAX 50

/* One <at id="N">text</at> of a message's html body: a member of the team, or the message's
 * channel (Graph's mentioned.conversation with conversationIdentityType "channel"). */
struct sb_mention {
    int64_t id;                 /* N: unique within the message */
    bool channel;               /* the channel (target = its id), else a person */
    sb_id target;               /* the user's or the channel's id */
    char text[SB_NAME_MAX + 1]; /* mentionText: the text inside the tag */
    char name[SB_NAME_MAX + 1]; /* the user's or the channel's display name */
};

/* A channel message as stored; body, summary, attachments, card_text, reactions and mentions are
 * on the heap. */
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
    struct sb_mention *mentions; /* in id order; NULL when none */
    size_t n_mentions;
    char *card_text; /* the text of its cards (core/cardtext.h) when the service that built them
                        has it, so the store need not parse them again to index the message;
                        NULL: the store reads it from attachments. Not stored: NULL on reads. */
};

#endif
