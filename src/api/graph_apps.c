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
