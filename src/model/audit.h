/*
 * model/audit.h: one entry of the audit log of policy and connector changes.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/audit.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_AUDIT_H
#define SB_MODEL_AUDIT_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One audit entry: who changed what, with the state before and after. */
struct sb_audit {
    int64_t seq;
    sb_time at;
    sb_id actor_id; /* "" for the command line */
    char actor_name[SB_NAME_MAX + 1];
    char action[64];  /* e.g. "organization.update", "webhook.create" */
    char target[128]; /* what it applies to: "organization", a team or configuration id */
    char *before;     /* JSON text or NULL */
    char *after;      /* JSON text or NULL */
};

#endif
