/*
 * readstate_api.c: GET /api/v1/me/channelStates and PUT /api/v1/channels/{c}/readState
 * (contract §6): read positions and unread counts kept on the server.
 */
#include "api/api.h"

#include "core/json.h"
#include "teams/teams.h"

#include <stdlib.h>

void api_channel_states(struct api_call *c)
{
    struct sb_channel_state *v = NULL;
    json_t *value;
    size_t n = 0;
    sb_err err = teams_channel_states(c->ctx, c->who, &v, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, json_pack("{s:s,s:s,s:I,s:I,s:s?}", "teamId", v[i].team_id,
                                               "channelId", v[i].channel_id, "unreadCount",
                                               (json_int_t)v[i].unread, "mentionCount",
                                               (json_int_t)v[i].mention_count, "lastReadMessageId",
                                               v[i].last_read_id[0] ? v[i].last_read_id : NULL));
    free(v);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_read_state_put(struct api_call *c)
{
    const char *message_id = NULL;
    json_t *body = api_body_object(c);
    sb_err err;

    if (!body)
        return;
    err = sb_json_string(body, "lastReadMessageId", true, SB_ID_LEN, &message_id, &c->diag);
    if (!err)
        err = teams_read_state_set(c->ctx, c->who, api_param(c, 0), message_id, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_no_content(c);
}
