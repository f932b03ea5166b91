/*
 * bootstrap.c: the web client's first load in one answer (bootstrap.h).
 */
#include "teams/bootstrap.h"

#include "auth/auth.h"
#include "teams/teams.h"

#include <stdlib.h>
#include <string.h>

sb_err teams_bootstrap(struct sb_ctx *ctx, const struct sb_principal *who,
                       struct teams_bootstrap *out, struct sb_diag *diag)
{
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = auth_me(ctx, who, &out->me, diag);
    if (!err)
        err = teams_joined(ctx, who, &out->teams, &out->nteams, diag);
    if (err)
        goto out;
    if (out->nteams > 0) {
        out->channels = calloc(out->nteams, sizeof(*out->channels));
        out->nchannels = calloc(out->nteams, sizeof(*out->nchannels));
        if (!out->channels || !out->nchannels) {
            err = SB_ERR_NOMEM;
            goto out;
        }
    }
    for (size_t i = 0; i < out->nteams; i++) {
        err = teams_channel_list(ctx, who, out->teams[i].id, &out->channels[i], &out->nchannels[i],
                                 diag);
        /* Left or removed since teams_joined: that team simply has no channels here. */
        if (err == SB_ERR_NOT_FOUND || err == SB_ERR_FORBIDDEN) {
            out->channels[i] = NULL;
            out->nchannels[i] = 0;
            err = SB_OK;
            memset(diag, 0, sizeof(*diag));
        }
        if (err)
            goto out;
    }
    err = teams_channel_states(ctx, who, &out->states, &out->nstates, diag);
out:
    return err;
}

void teams_bootstrap_free(struct teams_bootstrap *b)
{
    for (size_t i = 0; b->channels && i < b->nteams; i++)
        free(b->channels[i]);
    free(b->channels);
    free(b->nchannels);
    free(b->teams);
    free(b->states);
    memset(b, 0, sizeof(*b));
}
