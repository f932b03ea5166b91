/*
 * store/actions.h: actionable messages: one row per click on a card action, for src/actions
 * (actions.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_ACTIONS_H
#define SB_STORE_ACTIONS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

#define STORE_ACTION_ID_MAX 256

struct store_action_execution {
    sb_id id; /* also the id of its outbox job */
    sb_id message_id;
    char action_id[STORE_ACTION_ID_MAX + 1];
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

/* Stores a pending execution and its outbox job (kind, payload JSON text) in one transaction:
 * a click that was acknowledged is never lost. */
sb_err store_action_create(struct store *st, const struct store_action_execution *e,
                           const char *job_kind, const char *payload, int64_t now_ms);
sb_err store_action_get(struct store *st, const char *id, struct store_action_execution *out);
/* Records the result fields (status, http_status, card_action_status, error, card_updated,
 * updated). */
sb_err store_action_finish(struct store *st, const struct store_action_execution *e);

#endif
