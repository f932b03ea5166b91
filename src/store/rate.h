/*
 * store/rate.h: rate-limit windows shared by every process on the database (rate.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_RATE_H
#define SB_STORE_RATE_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Counts one post of connector_id in the one-second window window_s, for every process at
 * once; *hits gets the window's count including this post. */
sb_err store_rate_take(struct store *st, const char *connector_id, int64_t window_s, int64_t *hits);

#endif
