/*
 * catalog_list.c: the catalog a channel's connectors dialog shows (catalog_for_channel in
 * catalog.h).
 */
#include "connectors/catalog.h"

#include "auth/perm.h"
#include "connectors/apphost.h"
#include "connectors/apps.h"
#include "connectors/configs.h"
#include "core/config.h"
#include "webhooks/manage.h"

#include <stdio.h>

/* An organisation or team connector app as a catalog entry: unavailable (with the reason) when
 * it has no configuration page or its page's URL is not allowed; otherwise with the address
 * of the configuration host that frames the page. */
static json_t *app_entry(struct sb_ctx *ctx, const struct sb_principal *who,
                         const struct sb_app *app)
{
    char icon[640], reason[320], host[APPHOST_FRAME_URL_MAX];
    json_t *e;

    snprintf(icon, sizeof(icon), "%s/v1.0/appCatalogs/teamsApps/%s/icon", ctx->cfg->public_url,
             app->id);
    e = json_pack("{s:s,s:s,s:s,s:s,s:s,s:b,s:s?,s:s}", "connectorId", app->connector_id, "name",
                  app->display_name, "description", app->description, "iconUrl", icon, "section",
                  app->team_id[0] ? "uploaded" : "organization", "retired", 0, "configurationUrl",
                  app->configuration_url[0] ? app->configuration_url : NULL, "appId", app->id);
    if (!e)
        return NULL;
    if (!app->configuration_url[0])
        json_object_set_new(e, "unavailableReason",
                            json_string("This connector has no configuration page."));
    else if (!config_url_allowed(ctx, app->valid_domains, app->configuration_url, reason,
                                 sizeof(reason)))
        json_object_set_new(
            e, "unavailableReason",
            json_sprintf("The configuration page cannot be shown: configurationUrl %s.", reason));
    else if (apphost_frame_url(ctx, app->id, who->user_id, host, sizeof(host)) == SB_OK)
        json_object_set_new(e, "configurationHostUrl", json_string(host));
    return e;
}

sb_err catalog_for_channel(struct sb_ctx *ctx, const struct sb_principal *who,
                           const char *channel_id, json_t **out, struct sb_diag *diag)
{
    struct sb_channel ch;
    struct sb_resource res = {NULL, NULL, NULL};
    struct sb_diag why = {{0}, {0}};
    struct sb_app *apps = NULL;
    size_t napps = 0;
    json_t *value = NULL, *page;
    char icon[640];
    sb_err err = webhook_channel_load(ctx, who, SB_ACT_CHANNEL_READ, channel_id, &ch, diag);

    *out = NULL;
    if (err)
        return err;
    res.team_id = ch.team_id;
    res.channel_id = ch.id;
    page = json_pack("{s:[],s:s}", "value", "tenantId", ctx->tenant_id);
    if (!page)
        return SB_ERR_NOMEM;
    value = json_object_get(page, "value");
    /* Connectors off for this person here: an empty catalog that says why. */
    if (sb_can(ctx, who, SB_ACT_CONNECTOR_CREATE, &res, &why) != SB_OK) {
        json_object_set_new(page, "disabledReason", json_string(why.message));
        *out = page;
        return SB_OK;
    }
    for (size_t i = 0; i < catalog_builtin_count(); i++) {
        struct catalog_entry e;

        catalog_builtin(i, &e);
        if (e.icon)
            snprintf(icon, sizeof(icon), "%s%s", ctx->cfg->public_url, e.icon);
        json_array_append_new(value, json_pack("{s:s,s:s,s:s,s:s?,s:s,s:b,s:n,s:s?}", "connectorId",
                                               e.connector_id, "name", e.name, "description",
                                               e.description, "iconUrl", e.icon ? icon : NULL,
                                               "section", e.section, "retired", e.retired,
                                               "configurationUrl", "kind", e.kind));
    }
    if (apps_list(ctx, who, ch.team_id, &apps, &napps, NULL) == SB_OK) {
        for (size_t i = 0; i < napps; i++)
            /* A blocked app is in nobody's dialog; its configurations still show in the
             * channel's list of configured connectors. */
            if (apps[i].connector_id[0] && !apps[i].blocked)
                json_array_append_new(value, app_entry(ctx, who, &apps[i]));
        apps_free_array(apps, napps);
    }
    *out = page;
    return SB_OK;
}
