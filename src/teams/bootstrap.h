/*
 * bootstrap.h: what the web client's channel view needs at its first load, in one answer
 * (GET /api/v1/bootstrap): the caller, their teams with each team's channels, and their
 * channel states (unread and mention counts). Before it the client made five calls in a row
 * (session, me, joinedTeams, then channels per team, then channelStates); on a slow link each
 * round trip costs hundreds of milliseconds.
 */
#ifndef SB_TEAMS_BOOTSTRAP_H
#define SB_TEAMS_BOOTSTRAP_H

#include "auth/auth.h"
#include "core/sb.h"
#include "model/conversation.h"
#include "model/teams.h"
#include "model/users.h"

struct teams_bootstrap {
    struct sb_user me;
    struct sb_team *teams; /* heap array of nteams */
    size_t nteams;
    struct sb_channel **channels; /* channels[i]: heap array of nchannels[i], of teams[i] */
    size_t *nchannels;
    struct sb_channel_state *states; /* heap array of nstates */
    size_t nstates;
};

/* Fills out with the same answers as auth_me, teams_joined, teams_channel_list of each team
 * and teams_channel_states, each asking sb_can as it does. A team whose channels the caller
 * may not list any more (left between the two reads) is given no channels rather than failing
 * the whole answer. Free with teams_bootstrap_free, also after an error. */
sb_err teams_bootstrap(struct sb_ctx *ctx, const struct sb_principal *who,
                       struct teams_bootstrap *out, struct sb_diag *diag);
void teams_bootstrap_free(struct teams_bootstrap *b);

#endif
