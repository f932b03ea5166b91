/*
 * model/teams.h: the organisation's teams, their channels and their memberships with a role.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/teams.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_TEAMS_H
#define SB_MODEL_TEAMS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A team and its connector switches. */
struct sb_team {
    sb_id id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    bool allow_connectors;  /* memberSettings.allowCreateUpdateRemoveConnectors */
    int connectors_enabled; /* group switch: -1 not set, 0 off, 1 on */
    bool is_public;         /* Graph visibility "public": listed and joinable by everyone;
                               "private": by invitation only */
    sb_time created;
};

/* A channel of a team. */
struct sb_channel {
    sb_id id;
    sb_id team_id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    char membership_type[16]; /* "standard" */
    bool is_general;
    sb_time created;
};

/* A member's role in a team, in increasing power (compared with <, >=). */
enum sb_role { SB_ROLE_NONE = 0, SB_ROLE_GUEST = 1, SB_ROLE_MEMBER = 2, SB_ROLE_OWNER = 3 };

/* A membership: a user in a team with a role. */
struct sb_member {
    sb_id id;
    sb_id team_id;
    sb_id user_id;
    int role;                           /* enum sb_role */
    char display_name[SB_NAME_MAX + 1]; /* the user's, filled by reads */
    sb_time created;
};

#endif
