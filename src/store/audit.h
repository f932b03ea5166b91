/*
 * store/audit.h: the audit log of policy and connector changes (audit.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_AUDIT_H
#define SB_STORE_AUDIT_H

#include "core/sb.h"
#include "model/audit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* Newest first, entries with seq < before (0 = from the newest) that match filter (may be
 * NULL). */
sb_err store_audit_list(struct store *st, int64_t before, const struct sb_audit_filter *filter,
                        size_t limit, struct sb_audit **out, size_t *n);
void store_audit_free_array(struct sb_audit *a, size_t n);

#endif
