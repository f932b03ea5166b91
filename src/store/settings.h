/*
 * store/settings.h: organisation settings: explicit values only, absent = not set (connectors.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_SETTINGS_H
#define SB_STORE_SETTINGS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;

sb_err store_setting_get(struct store *st, const char *key, char **value);
/* value NULL removes the explicit value. */
sb_err store_setting_set(struct store *st, const char *key, const char *value);
/* Sets n explicit values (values[i] NULL removes keys[i]) and writes the audit entry (may be
 * NULL) in one transaction: a change of several settings applies whole or not at all. */
sb_err store_settings_put(struct store *st, const char *const *keys, const char *const *values,
                          size_t n, const struct sb_audit *audit);

#endif
