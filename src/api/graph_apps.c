/*
 * graph_apps.c: the organisation app catalog (/v1.0/appCatalogs/teamsApps) and apps uploaded
 * to a team (/v1.0/teams/{id}/installedApps with a package body).
 */
#include "api/api.h"

#include "connectors/apps.h"
#include "core/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *render_app(const struct sb_app *a)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s}", "id", a->id, "externalId", a->external_id,
                     "displayName", a->display_name, "distributionMethod",
                     a->team_id[0] ? "sideloaded" : "organization", "version", a->version,
                     "connectorId", a->connector_id[0] ? a->connector_id : NULL,
                     "lastModifiedDateTime", a->updated);
}

/* The request body must be the zip itself, as Graph takes it. */
static bool zip_body(struct api_call *c)
{
    const char *ct = http_header(c->req, "Content-Type");

    if (!ct || (strncasecmp(ct, "application/zip", 15) != 0 &&
                strncasecmp(ct, "application/x-zip-compressed", 28) != 0 &&
                strncasecmp(ct, "application/octet-stream", 24) != 0)) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest",
                  "the body must be an app package (Content-Type: application/zip)");
        return false;
    }
    if (!c->req->body || c->req->body_len == 0) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "the app package is empty");
        return false;
    }
    return true;
}

void api_app_publish(struct api_call *c)
{
    struct sb_app app = {0};
    bool updated = false;
    sb_err err;

    if (!zip_body(c))
        return;
    err = apps_publish(c->ctx, c->who, c->req->body, c->req->body_len, NULL, &app, &updated,
                       &c->diag);
    if (err) {
        api_fail(c, err);
    } else {
        http_response_header(c->resp, "Location", "%s/v1.0/appCatalogs/teamsApps/%s",
                             c->ctx->cfg->public_url, app.id);
        api_json(c, updated ? 200 : 201, render_app(&app));
    }
    apps_free(&app);
}

void api_app_list(struct api_call *c)
{
    struct sb_app *apps = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    err = apps_list(c->ctx, c->who, NULL, &apps, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        if (!apps[i].team_id[0])
            json_array_append_new(value, render_app(&apps[i]));
    apps_free_array(apps, n);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_app_get(struct api_call *c)
{
    struct sb_app app;
    sb_err err = apps_find(c->ctx, c->who, api_param(c, 0), &app, &c->diag);

    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, render_app(&app));
    apps_free(&app);
}

void api_app_delete(struct api_call *c)
{
    sb_err err;

    err = apps_remove(c->ctx, c->who, api_param(c, 0), &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_app_icon(struct api_call *c)
{
    void *data = NULL;
    size_t len = 0;
    sb_err err = apps_icon(c->ctx, c->who, api_param(c, 0), &data, &len, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "image/png";
    c->resp->body = data;
    c->resp->body_len = len;
    http_response_header(c->resp, "Cache-Control", "private, max-age=300");
    http_response_header(c->resp, "Content-Security-Policy", "default-src 'none'; sandbox");
}

/* A custom app uploaded to one team: it shows in that team's "Uploaded" section. */
void api_team_app_upload(struct api_call *c)
{
    struct sb_app app = {0};
    bool updated = false;
    sb_err err;

    if (!zip_body(c))
        return;
    err = apps_publish(c->ctx, c->who, c->req->body, c->req->body_len, api_param(c, 0), &app,
                       &updated, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_json(c, updated ? 200 : 201,
                 json_pack("{s:s,s:o}", "id", app.id, "teamsApp", render_app(&app)));
    apps_free(&app);
}

/* An app on the administrator's page: the catalog entry, where it was uploaded, whether it is
 * blocked and what blocking it leaves running. */
static json_t *render_usage(const struct sb_app_usage *u)
{
    const struct sb_app *a = &u->app;

    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:b,s:I,s:I,s:s}", "id", a->id,
                     "externalId", a->external_id, "displayName", a->display_name,
                     "distributionMethod", a->team_id[0] ? "sideloaded" : "organization", "version",
                     a->version, "connectorId", a->connector_id[0] ? a->connector_id : NULL,
                     "teamId", a->team_id[0] ? a->team_id : NULL, "teamName",
                     a->team_id[0] ? u->team_name : NULL, "blocked", a->blocked,
                     "configurationCount", (json_int_t)u->configurations, "teamCount",
                     (json_int_t)u->teams, "lastModifiedDateTime", a->updated);
}

/* GET /api/v1/admin/apps: every app, the organisation's and those uploaded to teams. */
void api_admin_apps(struct api_call *c)
{
    struct sb_app_usage *list = NULL;
    size_t n = 0;
    json_t *value, *page = NULL;
    sb_err err = apps_admin_list(c->ctx, c->who, &list, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, render_usage(&list[i]));
    apps_usage_free_array(list, n);
    if (value)
        page = json_pack("{s:o}", "value", value);
    if (!page) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, page);
}

/* PATCH /api/v1/admin/apps/{id} {blocked: true|false}: the app as it is now. */
void api_admin_app_patch(struct api_call *c)
{
    struct sb_app_usage u = {0};
    json_t *body, *v;
    sb_err err = SB_OK;

    body = api_body_object(c);
    if (!body)
        return;
    v = json_object_get(body, "blocked");
    if (!json_is_boolean(v))
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "blocked must be true or false");
    if (!err)
        err = apps_set_blocked(c->ctx, c->who, api_param(c, 0), json_is_true(v), &u, &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, render_usage(&u));
    apps_free(&u.app);
}
