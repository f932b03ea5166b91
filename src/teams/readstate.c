/*
 * readstate.c: read positions and unread counts, kept on the server so that every device of a
 * person shows the same (contract §6: GET /api/v1/me/channelStates, PUT .../readState).
 */
#include "auth/perm.h"
#include "core/ids.h"
#include "store/messages.h"
#include "store/readstate.h"
#include "store/teams.h"
#include "teams/teams.h"

#include <string.h>

sb_err teams_channel_states(struct sb_ctx *ctx, const struct sb_principal *who,
                            struct sb_channel_state **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *out = NULL;
    *n = 0;
    if (!err)
        err = store_channel_states(ctx->store, who->user_id, out, n);
    return err;
}

sb_err teams_read_state_set(struct sb_ctx *ctx, const struct sb_principal *who,
                            const char *channel_id, const char *message_id, struct sb_diag *diag)
{
    struct sb_channel ch = {0};
    struct sb_message m = {0};
    struct sb_resource res = {NULL, channel_id, NULL};
    sb_time now;
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    /* The path names the channel only: its team comes from the store, then the one check
     * answers for the channel (NOT_FOUND alike for unknown and invisible channels). */
    if (err)
        return err;
    err = store_channel_get(ctx->store, channel_id, &ch);
    if (!err) {
        res.team_id = ch.team_id;
        err = sb_can(ctx, who, SB_ACT_CHANNEL_READ, &res, diag);
    } else if (err == SB_ERR_NOT_FOUND) {
        sb_fail(diag, err, "NotFound", "channel '%s' not found", channel_id);
    }
    if (err)
        return err;
    err = store_message_get(ctx->store, message_id, &m);
    if (err == SB_ERR_NOT_FOUND || (!err && strcmp(m.channel_id, channel_id) != 0)) {
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                      "lastReadMessageId '%s' is not a message of this channel", message_id);
        goto out;
    }
    if (err)
        goto out;
    sb_time_now(ctx, now);
    err = store_read_state_set(ctx->store, who->user_id, channel_id, m.seq, m.id, now);
out:
    store_message_free(&m);
    return err;
}
