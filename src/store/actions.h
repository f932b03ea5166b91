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
#include "model/actions.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Stores a pending execution and its outbox job (kind, payload JSON text) in one transaction:
 * a click that was acknowledged is never lost. */
sb_err store_action_create(struct store *st, const struct sb_action_execution *e,
                           const char *job_kind, const char *payload, int64_t now_ms);
sb_err store_action_get(struct store *st, const char *id, struct sb_action_execution *out);
/* Records the result fields (status, http_status, card_action_status, error, card_updated,
 * updated). */
sb_err store_action_finish(struct store *st, const struct sb_action_execution *e);

#endif
