/*
 * model/actions.h: one click on an actionable message's card action and what became of it.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/actions.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_ACTIONS_H
#define SB_MODEL_ACTIONS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The longest card action id (actionId) accepted and stored. */
#define SB_ACTION_ID_MAX 256

/* One click on a card action: who clicked what on which message, and the outcome of the
 * outgoing request the outbox made for it. */
struct sb_action_execution {
    sb_id id; /* also the id of its outbox job */
    sb_id message_id;
    char action_id[SB_ACTION_ID_MAX + 1];
    sb_id user_id;
    sb_id connector_id; /* the configuration that posted the card */
    sb_id team_id;
    sb_id channel_id;
    char target[2049];
    char status[12]; /* "pending", "succeeded", "failed" */
    int http_status;
    char card_action_status[512];
    char error[512];
    bool card_updated;
    sb_time created;
    sb_time updated;
};

#endif
