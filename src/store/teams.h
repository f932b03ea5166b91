/*
 * store/teams.h: teams, channels, members (teams.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_TEAMS_H
#define SB_STORE_TEAMS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct store_audit;

struct store_team {
    sb_id id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    bool allow_connectors;  /* memberSettings.allowCreateUpdateRemoveConnectors */
    int connectors_enabled; /* group switch: -1 not set, 0 off, 1 on */
    sb_time created;
};

struct store_channel {
    sb_id id;
    sb_id team_id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    char membership_type[16]; /* "standard" */
    bool is_general;
    sb_time created;
};

enum store_role {
    STORE_ROLE_NONE = 0,
    STORE_ROLE_GUEST = 1,
    STORE_ROLE_MEMBER = 2,
    STORE_ROLE_OWNER = 3
};

struct store_member {
    sb_id id;
    sb_id team_id;
    sb_id user_id;
    int role;                           /* enum store_role */
    char display_name[SB_NAME_MAX + 1]; /* the user's, filled by reads */
    sb_time created;
};

/* Creates the team, its General channel and its first owner in one transaction. */
sb_err store_team_create(struct store *st, const struct store_team *t,
                         const struct store_channel *general, const struct store_member *owner);
sb_err store_team_get(struct store *st, const char *id, struct store_team *out);
/* memberSettings.allowCreateUpdateRemoveConnectors, with its audit entry (may be NULL) in the
 * same transaction. */
sb_err store_team_set_allow_connectors(struct store *st, const char *id, bool allow,
                                       const struct store_audit *audit);
/* The group-level connector switch: -1 (not set), 0 or 1, with its audit entry (may be NULL)
 * in the same transaction. */
sb_err store_team_set_connectors_enabled(struct store *st, const char *id, int enabled,
                                         const struct store_audit *audit);
/* Teams the user is a member of, oldest first. */
sb_err store_team_list_for_user(struct store *st, const char *user_id, struct store_team **out,
                                size_t *n);

/* SB_ERR_CONFLICT when the team already has a channel of that name (case-insensitive). */
sb_err store_channel_insert(struct store *st, const struct store_channel *c);
sb_err store_channel_get(struct store *st, const char *id, struct store_channel *out);
sb_err store_channel_list(struct store *st, const char *team_id, struct store_channel **out,
                          size_t *n);

/* SB_ERR_CONFLICT when the user is already a member. */
sb_err store_member_insert(struct store *st, const struct store_member *m);
sb_err store_member_get(struct store *st, const char *team_id, const char *membership_id,
                        struct store_member *out);
sb_err store_member_list(struct store *st, const char *team_id, struct store_member **out,
                         size_t *n);
/* The user's role in the team; STORE_ROLE_NONE (and SB_OK) when not a member. */
sb_err store_member_role(struct store *st, const char *team_id, const char *user_id, int *role);
/* Deletes a membership; SB_ERR_CONFLICT if it is the team's last owner. */
sb_err store_member_delete(struct store *st, const char *team_id, const char *membership_id);

#endif
