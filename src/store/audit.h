/*
 * store/audit.h: the audit log of policy and connector changes (audit.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_AUDIT_H
#define SB_STORE_AUDIT_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store_audit {
    int64_t seq;
    sb_time at;
    sb_id actor_id; /* "" for the command line */
    char actor_name[SB_NAME_MAX + 1];
    char action[64];  /* e.g. "organization.update", "webhook.create" */
    char target[128]; /* what it applies to: "organization", a team or configuration id */
    char *before;     /* JSON text or NULL */
    char *after;      /* JSON text or NULL */
};

/* Newest first, entries with seq < before (0 = from the newest). */
sb_err store_audit_list(struct store *st, int64_t before, size_t limit, struct store_audit **out,
                        size_t *n);
void store_audit_free_array(struct store_audit *a, size_t n);

#endif
