/*
 * registration_api.c: the Connector Developer Dashboard's resource,
 * /api/v1/connectorRegistrations (contract addition, docs/connector-registration.md).
 *
 * A registration is seen by the person who made it and by administrators; others get 404.
 * Changing one also needs SB_ACT_CONNECTOR_REGISTER (administrators, or everyone while the
 * organisation's developersMayRegisterConnectors is on).
 */
#include "api/api.h"

#include "connectors/registration_ops.h"
#include "core/config.h"
#include "teams/teams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *render(struct api_call *c, const struct sb_registration *r)
{
    const char *base = c->ctx->cfg->public_url;
    char icon[640], package[640];
    json_t *domains = json_loads(r->valid_domains, 0, NULL);

    snprintf(icon, sizeof(icon), "%s/v1.0/appCatalogs/teamsApps/%s/icon", base, r->catalog_id);
    snprintf(package, sizeof(package), "%s/api/v1/connectorRegistrations/%s/package", base, r->id);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:b,s:s?,s:s,s:{s:s},s:s,s:s,"
                     "s:s,s:s}",
                     "id", r->id, "connectorId", r->id, "appId", r->app_id, "catalogAppId",
                     r->catalog_id, "name", r->name, "shortDescription", r->short_description,
                     "longDescription", r->long_description, "websiteUrl", r->website_url,
                     "configurationUrl", r->configuration_url, "validDomains",
                     domains ? domains : json_array(), "actionsEnabled", r->actions_enabled,
                     "actionsUrl", r->actions_url[0] ? r->actions_url : NULL, "version", r->version,
                     "createdBy", "id", r->created_by, "createdDateTime", r->created,
                     "lastModifiedDateTime", r->updated, "iconUrl", icon, "packageUrl", package);
}

/* Loads the registration of path parameter 0 if the caller may see it (else answers 404);
 * with change, also asks SB_ACT_CONNECTOR_REGISTER. */
static bool load(struct api_call *c, bool change, struct sb_registration *r)
{
    sb_err err = registration_find(c->ctx, c->who, api_param(c, 0), change, r, &c->diag);

    if (err)
        api_fail(c, err);
    return !err;
}

void api_registration_create(struct api_call *c)
{
    struct sb_registration *r;
    json_t *body;
    sb_err err;

    if (!(body = api_body_object(c)))
        return;
    if (!(r = calloc(1, sizeof(*r)))) {
        json_decref(body);
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    err = registration_create(c->ctx, c->who, body, r, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
    } else {
        http_response_header(c->resp, "Location", "%s/api/v1/connectorRegistrations/%s",
                             c->ctx->cfg->public_url, r->id);
        api_json(c, 201, render(c, r));
    }
    registration_free(r);
    free(r);
}

void api_registration_list(struct api_call *c)
{
    struct sb_registration *rs = NULL;
    size_t n = 0;
    json_t *value;
    bool can_register;
    sb_err err;

    err = registration_list_for(c->ctx, c->who, &rs, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    can_register = registration_may_register(c->ctx, c->who);
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, render(c, &rs[i]));
    registration_free_array(rs, n);
    api_json(c, 200, json_pack("{s:o,s:b}", "value", value, "canRegister", can_register));
}

void api_registration_get(struct api_call *c)
{
    struct sb_registration *r = calloc(1, sizeof(*r));

    if (!r)
        api_fail(c, SB_ERR_NOMEM);
    else if (load(c, false, r))
        api_json(c, 200, render(c, r));
    registration_free(r);
    free(r);
}

void api_registration_patch(struct api_call *c)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    json_t *body = NULL;
    sb_err err;

    if (!r) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    if (load(c, true, r) && (body = api_body_object(c))) {
        err = registration_update(c->ctx, c->who, r->id, body, r, &c->diag);
        if (err)
            api_fail(c, err);
        else
            api_json(c, 200, render(c, r));
    }
    json_decref(body);
    registration_free(r);
    free(r);
}

void api_registration_delete(struct api_call *c)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    sb_err err;

    if (!r) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    if (load(c, true, r)) {
        err = registration_delete(c->ctx, c->who, r->id, &c->diag);
        if (err)
            api_fail(c, err);
        else
            api_no_content(c);
    }
    registration_free(r);
    free(r);
}

/* The file name of the download: the connector's name in safe characters. */
static void file_name(const char *name, char *out, size_t cap)
{
    size_t n = 0;

    for (const char *p = name; *p && n + 1 < cap; p++) {
        char ch = *p;

        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '_')
            out[n++] = ch;
        else if (n > 0 && out[n - 1] != '-')
            out[n++] = '-';
    }
    while (n > 0 && out[n - 1] == '-')
        n--;
    out[n] = '\0';
    if (n == 0)
        snprintf(out, cap, "connector");
}

void api_registration_package(struct api_call *c)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    char name[64];
    void *data = NULL;
    size_t len = 0;
    sb_err err;

    if (!r) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    if (!load(c, false, r))
        goto out;
    err = registration_package(c->ctx, r, &data, &len);
    if (err) {
        api_fail(c, err);
        goto out;
    }
    file_name(r->name, name, sizeof(name));
    c->resp->status = 200;
    c->resp->content_type = "application/zip";
    c->resp->body = data;
    c->resp->body_len = len;
    http_response_header(c->resp, "Content-Disposition", "attachment; filename=\"%s-%s.zip\"", name,
                         r->version);
    http_response_header(c->resp, "Cache-Control", "private, no-store");
out:
    registration_free(r);
    free(r);
}

void api_registration_test_card(struct api_call *c)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    struct sb_message m;
    json_t *body = NULL;
    const char *channel_id;
    sb_err err;

    if (!r) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    if (!load(c, true, r) || !(body = api_body_object(c)))
        goto out;
    channel_id = json_string_value(json_object_get(body, "channelId"));
    if (!channel_id || !channel_id[0]) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "channelId is required (a channel id)");
        goto out;
    }
    err = registration_test_card_post(c->ctx, c->who, r, channel_id, &m, &c->diag);
    if (err) {
        api_fail(c, err);
        goto out;
    }
    api_json(c, 201, teams_message_json(&m));
    teams_message_free(&m);
out:
    json_decref(body);
    registration_free(r);
    free(r);
}
