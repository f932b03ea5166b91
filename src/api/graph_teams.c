/*
 * graph_teams.c: /v1.0/teams, joinedTeams and channels.
 */
#include "api/api.h"

#include "core/config.h"
#include "core/json.h"
#include "teams/teams.h"

#include <stdlib.h>
#include <strings.h>

/* Graph's visibility ("public" or "private", any case) into *is_public; absent leaves it. */
static sb_err read_visibility(json_t *body, bool *is_public, bool *present, struct sb_diag *diag)
{
    const char *v = NULL;
    sb_err err = sb_json_string(body, "visibility", false, 32, &v, diag);

    *present = false;
    if (err || !v)
        return err;
    if (strcasecmp(v, "public") != 0 && strcasecmp(v, "private") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "visibility must be \"public\" or \"private\"");
    *is_public = strcasecmp(v, "public") == 0;
    *present = true;
    return SB_OK;
}

static void send_teams(struct api_call *c, struct sb_team *teams, size_t n)
{
    json_t *value = json_array();

    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, api_render_team(&teams[i]));
    free(teams);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

/* GET /v1.0/teams: the directory (public teams and the caller's own). */
void api_team_list(struct api_call *c)
{
    struct sb_team *teams = NULL;
    size_t n = 0;
    sb_err err = teams_directory(c->ctx, c->who, &teams, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    send_teams(c, teams, n);
}

void api_team_create(struct api_call *c)
{
    const char *name, *description;
    struct sb_team t;
    json_t *body;
    bool is_public = false, present = false;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "displayName", true, SB_NAME_MAX, &name, &c->diag);
    if (!err)
        err = sb_json_string(body, "description", false, SB_DESC_MAX, &description, &c->diag);
    if (!err)
        err = read_visibility(body, &is_public, &present, &c->diag);
    if (!err)
        err = teams_create_visible(c->ctx, c->who, name, description, is_public, &t, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    http_response_header(c->resp, "Location", "%s/v1.0/teams/%s", c->ctx->cfg->public_url, t.id);
    api_json(c, 201, api_render_team(&t));
}

void api_team_get(struct api_call *c)
{
    struct sb_team t;
    sb_err err;

    err = teams_team_get(c->ctx, c->who, api_param(c, 0), &t, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, api_render_team(&t));
}

void api_team_patch(struct api_call *c)
{
    json_t *body, *settings = NULL;
    bool allow = true, present = false, is_public = false, vis_present = false;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_object(body, "memberSettings", false, &settings, &c->diag);
    if (!err && settings)
        err =
            sb_json_bool(settings, "allowCreateUpdateRemoveConnectors", &allow, &present, &c->diag);
    if (!err)
        err = read_visibility(body, &is_public, &vis_present, &c->diag);
    if (!err && present)
        err = teams_update_member_settings(c->ctx, c->who, api_param(c, 0), allow, &c->diag);
    if (!err && vis_present)
        err = teams_set_visibility(c->ctx, c->who, api_param(c, 0), is_public, &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_joined_teams(struct api_call *c)
{
    struct sb_team *teams = NULL;
    size_t n = 0;
    sb_err err;

    err = teams_joined(c->ctx, c->who, &teams, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    send_teams(c, teams, n);
}

void api_channel_list(struct api_call *c)
{
    struct sb_channel *chans = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    err = teams_channel_list(c->ctx, c->who, api_param(c, 0), &chans, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, api_render_channel(&chans[i]));
    free(chans);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_channel_create(struct api_call *c)
{
    const char *name, *description;
    struct sb_channel ch;
    json_t *body;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "displayName", true, SB_NAME_MAX, &name, &c->diag);
    if (!err)
        err = sb_json_string(body, "description", false, SB_DESC_MAX, &description, &c->diag);
    if (!err)
        err =
            teams_channel_create(c->ctx, c->who, api_param(c, 0), name, description, &ch, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, api_render_channel(&ch));
}

void api_channel_get(struct api_call *c)
{
    struct sb_channel ch;
    sb_err err;

    err = teams_channel_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &ch, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, api_render_channel(&ch));
}
