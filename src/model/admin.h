/*
 * model/admin.h: what the administrator's page reads about the whole organisation: every team
 * with its counts, and how many configurations a policy change would reach.
 *
 * Part of the model: types only (see model/audit.h).
 */
#ifndef SB_MODEL_ADMIN_H
#define SB_MODEL_ADMIN_H

#include "core/sb.h"
#include "model/teams.h"

#include <stdint.h>

/* A team as the administrator's Teams section lists it. */
struct sb_team_overview {
    struct sb_team team;
    int64_t members;
    int64_t owners;
    int64_t connectors; /* live configurations, webhooks included */
    int64_t webhooks;   /* live incoming webhooks */
};

/* An owner of a team, for the list of every team. */
struct sb_team_owner {
    sb_id team_id;
    sb_id user_id;
    char display_name[SB_NAME_MAX + 1];
};

/* How many live configurations (and in how many teams) one kind of change reaches. */
struct sb_reach {
    int64_t count;
    int64_t teams;
};

/* What the organisation switches would reach: every configuration, the incoming webhooks, and
 * the webhooks that have only unsigned URLs (never updated to the signed format). */
struct sb_impact {
    struct sb_reach connectors;
    struct sb_reach webhooks;
    struct sb_reach unsigned_only;
};

#endif
