/*
 * bootstrap_api.c: GET /api/v1/bootstrap, the web client's first load in one call
 * (teams/bootstrap.h): {me, teams: [team + channels], channelStates}, each part in the shape of
 * its own endpoint (/v1.0/me, /v1.0/me/joinedTeams, /v1.0/teams/{t}/channels,
 * /api/v1/me/channelStates).
 */
#include "api/api.h"

#include "teams/bootstrap.h"

static json_t *render_state(const struct sb_channel_state *s)
{
    return json_pack("{s:s,s:s,s:I,s:I,s:s?}", "teamId", s->team_id, "channelId", s->channel_id,
                     "unreadCount", (json_int_t)s->unread, "mentionCount",
                     (json_int_t)s->mention_count, "lastReadMessageId",
                     s->last_read_id[0] ? s->last_read_id : NULL);
}

void api_bootstrap(struct api_call *c)
{
    struct teams_bootstrap b;
    json_t *teams, *states;
    sb_err err;

    err = teams_bootstrap(c->ctx, c->who, &b, &c->diag);
    if (err) {
        teams_bootstrap_free(&b);
        api_fail(c, err);
        return;
    }
    teams = json_array();
    states = json_array();
    for (size_t i = 0; teams && i < b.nteams; i++) {
        json_t *t = api_render_team(&b.teams[i]), *chans = json_array();

        for (size_t k = 0; chans && k < b.nchannels[i]; k++)
            json_array_append_new(chans, api_render_channel(&b.channels[i][k]));
        if (t && chans)
            json_object_set_new(t, "channels", chans);
        else
            json_decref(chans);
        json_array_append_new(teams, t);
    }
    for (size_t i = 0; states && i < b.nstates; i++)
        json_array_append_new(states, render_state(&b.states[i]));
    api_json(c, 200,
             json_pack("{s:o,s:o,s:o}", "me", api_render_user(&b.me), "teams", teams,
                       "channelStates", states));
    teams_bootstrap_free(&b);
}
