/*
 * model/conversation.h: a person's read state of a channel, and a message found by search.
 *
 * Part of the model: types only. The store (store/readstate.h, store/message_search.h) fills
 * them; teams/ hands them to api/.
 */
#ifndef SB_MODEL_CONVERSATION_H
#define SB_MODEL_CONVERSATION_H

#include "core/sb.h"
#include "model/messages.h"

#include <stdint.h>

/* One channel of a team the person belongs to: how much of it they have not read. */
struct sb_channel_state {
    sb_id team_id;
    sb_id channel_id;
    sb_id last_read_id;    /* "" when the person has not read the channel yet */
    int64_t unread;        /* messages after the last read one, not written by the person */
    int64_t mention_count; /* 0 until mentions exist (issue 20, next part) */
};

/* A message a search found: the message and the text it was found by (heap, owned). */
struct sb_message_hit {
    struct sb_message m;
    char *text;
};

#endif
