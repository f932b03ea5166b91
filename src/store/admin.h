/*
 * store/admin.h: organisation-wide reads for the administrator's page (admin.c): every team
 * with its counts, and the reach of a policy change.
 *
 * Part of the store's interface (store/store.h states its rules); SQLite and PostgreSQL alike.
 */
#ifndef SB_STORE_ADMIN_H
#define SB_STORE_ADMIN_H

#include "core/sb.h"
#include "model/admin.h"

#include <stddef.h>

struct store;

/* Every team by name (at most limit), with member, owner and configuration counts; caller
 * frees *out. */
sb_err store_admin_teams(struct store *st, size_t limit, struct sb_team_overview **out, size_t *n);
/* The owners of every team, by team id then name; caller frees *out. */
sb_err store_admin_owners(struct store *st, struct sb_team_owner **out, size_t *n);
/* Counts of live configurations reached by the organisation switches. */
sb_err store_admin_impact(struct store *st, struct sb_impact *out);

#endif
