/*
 * store/teams.h: teams, channels, members (teams.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_TEAMS_H
#define SB_STORE_TEAMS_H

#include "core/sb.h"
#include "model/teams.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;

/* Creates the team, its General channel and its first owner in one transaction. */
sb_err store_team_create(struct store *st, const struct sb_team *t,
                         const struct sb_channel *general, const struct sb_member *owner);
sb_err store_team_get(struct store *st, const char *id, struct sb_team *out);
/* memberSettings.allowCreateUpdateRemoveConnectors, with its audit entry (may be NULL) in the
 * same transaction. */
sb_err store_team_set_allow_connectors(struct store *st, const char *id, bool allow,
                                       const struct sb_audit *audit);
/* The group-level connector switch: -1 (not set), 0 or 1, with its audit entry (may be NULL)
 * in the same transaction. */
sb_err store_team_set_connectors_enabled(struct store *st, const char *id, int enabled,
                                         const struct sb_audit *audit);
/* Graph visibility (public or private), with its audit entry (may be NULL) in the same
 * transaction. */
sb_err store_team_set_visibility(struct store *st, const char *id, bool is_public,
                                 const struct sb_audit *audit);
/* The teams directory: public teams and those user_id is a member of (all: every team), by
 * name. */
sb_err store_team_list_directory(struct store *st, const char *user_id, bool all,
                                 struct sb_team **out, size_t *n);
/* A member's role, with its audit entry (may be NULL); SB_ERR_CONFLICT when it would leave the
 * team without an owner, SB_ERR_NOT_FOUND for an unknown membership. */
sb_err store_member_set_role(struct store *st, const char *team_id, const char *membership_id,
                             int role, const struct sb_audit *audit);
/* Teams the user is a member of, oldest first. */
sb_err store_team_list_for_user(struct store *st, const char *user_id, struct sb_team **out,
                                size_t *n);

/* SB_ERR_CONFLICT when the team already has a channel of that name (case-insensitive). */
sb_err store_channel_insert(struct store *st, const struct sb_channel *c);
sb_err store_channel_get(struct store *st, const char *id, struct sb_channel *out);
sb_err store_channel_list(struct store *st, const char *team_id, struct sb_channel **out,
                          size_t *n);

/* SB_ERR_CONFLICT when the user is already a member. */
sb_err store_member_insert(struct store *st, const struct sb_member *m);
sb_err store_member_get(struct store *st, const char *team_id, const char *membership_id,
                        struct sb_member *out);
sb_err store_member_list(struct store *st, const char *team_id, struct sb_member **out, size_t *n);
/* The user's role in the team; SB_ROLE_NONE (and SB_OK) when not a member. */
sb_err store_member_role(struct store *st, const char *team_id, const char *user_id, int *role);
/* Deletes a membership; SB_ERR_CONFLICT if it is the team's last owner. */
sb_err store_member_delete(struct store *st, const char *team_id, const char *membership_id);

#endif
