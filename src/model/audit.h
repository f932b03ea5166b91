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
    char target_name[SB_NAME_MAX + 1]; /* the target's name now, when it names one ("" else) */
    char *before;                      /* JSON text or NULL */
    char *after;                       /* JSON text or NULL */
};

/* Which entries a page of the log shows; NULL or "" fields match everything. */
struct sb_audit_filter {
    const char *action; /* an action ("webhook.create") or a family ("webhook.") */
    const char *actor;  /* part of the actor's name, any case */
    const char *since;  /* entries at or after this time (RFC 3339) */
    const char *until;  /* entries before this time (RFC 3339) */
};

#endif
