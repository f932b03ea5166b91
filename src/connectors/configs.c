/*
 * configs.c: connector-app configurations (see configs.h).
 */
#include "connectors/configs.h"

#include "connectors/catalog.h"
#include "core/json.h"
#include "net/url.h"
#include "org/org.h"
#include "webhooks/webhooks.h"
#include "store/apps.h"
#include "store/connectors.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

bool config_url_split(const char *url, char *scheme, size_t scheme_cap, char *host, size_t host_cap,
                      int *port, const char **path)
{
    struct net_url u;
    const char *a, *p;
    bool ok;

    if (net_url_parse(url, 0, &u) != SB_OK)
        return false;
    /* Pages are named by a plain host (IP literals only in IPv4 form): no user info. */
    ok = net_url_is_web(&u) && !u.userinfo && !u.ipv6 && !u.idn &&
         strspn(u.host, "abcdefghijklmnopqrstuvwxyz0123456789-.") == strlen(u.host) &&
         (size_t)snprintf(scheme, scheme_cap, "%s", u.scheme) < scheme_cap &&
         (size_t)snprintf(host, host_cap, "%s", u.host) < host_cap;
    if (ok) {
        *port = u.port;
        a = strstr(url, "://") + 3;
        p = a + strcspn(a, "/?#");
        *path = *p == '/' ? p : "/";
    }
    net_url_free(&u);
    return ok;
}

bool config_domain_listed(const char *valid_domains, const char *host, int port)
{
    json_t *list = json_loads(valid_domains ? valid_domains : "[]", 0, NULL), *v;
    size_t i;
    bool ok = false;

    json_array_foreach(list, i, v)
    {
        const char *d = json_string_value(v);

        if (d && !ok)
            ok = net_url_domain_match(d, host, port);
    }
    json_decref(list);
    return ok;
}

bool config_url_allowed(struct sb_ctx *ctx, const char *valid_domains, const char *url, char *why,
                        size_t why_cap)
{
    char scheme[8], host[256];
    const char *path;
    int port;

    if (!config_url_split(url, scheme, sizeof(scheme), host, sizeof(host), &port, &path)) {
        snprintf(why, why_cap, "must be an https URL");
        return false;
    }
    if (!config_domain_listed(valid_domains, host, port)) {
        snprintf(why, why_cap, "is on '%s', which is not in the app's validDomains", host);
        return false;
    }
    if (strcmp(scheme, "http") == 0 && !config_http_host_allowed(ctx, url)) {
        snprintf(why, why_cap,
                 "must be an https URL (plain http only for hosts in outboundAllowedHosts)");
        return false;
    }
    return true;
}

bool config_http_host_allowed(struct sb_ctx *ctx, const char *url)
{
    char scheme[8], host[256];
    const char *path;
    bool allowed = false;
    int port;

    return config_url_split(url, scheme, sizeof(scheme), host, sizeof(host), &port, &path) &&
           org_outbound_allowed(ctx, host, port, &allowed) == SB_OK && allowed;
}

static sb_err check_url(struct sb_ctx *ctx, const struct sb_app *app, const char *name,
                        const char *url, struct sb_diag *diag)
{
    char why[320];

    if (strlen(url) > CONFIG_URL_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be at most %d bytes", name,
                       CONFIG_URL_MAX);
    if (!config_url_allowed(ctx, app->valid_domains, url, why, sizeof(why)))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s %s", name, why);
    return SB_OK;
}

static sb_err check_name(const char *name, struct sb_diag *diag)
{
    if (!name[0] || strlen(name) > SB_NAME_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "configName must be 1 to %d bytes",
                       SB_NAME_MAX);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "configName must not contain control characters");
    return SB_OK;
}

/* Checks every field that is set against the app; all before anything is written. */
static sb_err check_fields(struct sb_ctx *ctx, const struct sb_app *app,
                           const struct config_fields *f, struct sb_diag *diag)
{
    sb_err err = SB_OK;

    if (f->config_name)
        err = check_name(f->config_name, diag);
    if (!err && f->entity_id && strlen(f->entity_id) > CONFIG_ENTITY_ID_MAX)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "entityId must be at most %d bytes",
                      CONFIG_ENTITY_ID_MAX);
    if (!err && f->content_url)
        err = check_url(ctx, app, "contentUrl", f->content_url, diag);
    if (!err && f->remove_url && f->remove_url[0])
        err = check_url(ctx, app, "removeUrl", f->remove_url, diag);
    return err;
}

static sb_err find_app(struct sb_ctx *ctx, const char *team_id, const char *connector_id,
                       struct sb_app *app, struct sb_diag *diag)
{
    struct catalog_entry e;
    struct org_settings org;
    sb_err err;

    if (catalog_find(connector_id, &e)) {
        if (e.retired)
            return sb_fail(diag, SB_ERR_FORBIDDEN, "ConnectorRetired",
                           "the %s connector is retired: it cannot get new configurations", e.name);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "%s configurations are made with POST /api/v1/channels/{id}/webhooks",
                       e.name);
    }
    err = store_app_by_connector(ctx->store, team_id, connector_id, app);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "connector '%s' is not in this team's catalog",
                       connector_id);
    if (err)
        return err;
    if (app->blocked)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "AppBlocked",
                       "the app '%s' is blocked by an administrator: it cannot get new "
                       "configurations (the ones it has keep working)",
                       app->display_name);
    err = org_settings_get(ctx, &org);
    if (!err && !org.custom_apps_allowed)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "CustomConnectorsNotAllowed",
                      "custom connectors are not available in this cloud environment");
    return err;
}

static char *settings_text(const char *app_id, const char *entity_id, const char *content_url,
                           const char *remove_url)
{
    json_t *o = json_pack("{s:s,s:s,s:s}", "appId", app_id, "entityId", entity_id ? entity_id : "",
                          "contentUrl", content_url);
    char *text;

    if (o && remove_url && remove_url[0])
        json_object_set_new(o, "removeUrl", json_string(remove_url));
    text = o ? json_dumps(o, JSON_COMPACT) : NULL;
    json_decref(o);
    return text;
}

sb_err config_create(struct sb_ctx *ctx, const struct sb_principal *who,
                     const struct sb_channel *ch, const char *connector_id,
                     const struct config_fields *f, const char *app_type, struct sb_connector *out,
                     struct sb_diag *diag)
{
    struct sb_app app = {0};
    struct sb_audit audit = {0};
    void *icon = NULL;
    size_t icon_len = 0;
    char *settings = NULL;
    json_t *after = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!f->config_name || !f->content_url)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "configName and contentUrl are required");
    if (app_type && strcmp(app_type, "teams") != 0 && strcmp(app_type, "groups") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "appType must be \"teams\" or \"groups\"");
    err = find_app(ctx, ch->team_id, connector_id, &app, diag);
    if (!err)
        err = check_fields(ctx, &app, f, diag);
    if (!err)
        err = webhook_config_init(ctx, who, ch, WEBHOOK_APP_KIND, app.connector_id, f->config_name,
                                  out);
    if (err)
        goto out;
    snprintf(out->app_type, sizeof(out->app_type), "%s", app_type ? app_type : "teams");
    settings = settings_text(app.id, f->entity_id, f->content_url, f->remove_url);
    if (!settings) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    /* The app's icon is the configuration's avatar: posts show the connector's face. */
    if (store_app_icon(ctx->store, app.id, &icon, &icon_len) == SB_OK)
        snprintf(out->image_type, sizeof(out->image_type), "image/png");
    if (!(after = webhook_summary(out))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = webhook_audit_entry(ctx, who, "connector.create", out, NULL, after, &audit)))
        goto out;
    err = store_connector_insert(ctx->store, out, icon, icon_len, settings, &audit, 1);
out:
    store_app_free(&app);
    org_audit_entry_free(&audit);
    json_decref(after);
    free(icon);
    free(settings);
    return err;
}

sb_err config_settings(struct sb_ctx *ctx, const struct sb_connector *cc, json_t **out)
{
    char *text = NULL;
    sb_err err = store_connector_settings(ctx->store, cc->id, &text);

    *out = NULL;
    if (err)
        return err;
    *out = json_loads(text, 0, NULL);
    free(text);
    return *out && json_is_object(*out) ? SB_OK : SB_ERR_IO;
}

sb_err config_update(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_connector *cc,
                     const struct config_fields *f, struct sb_diag *diag)
{
    struct sb_app app = {0};
    struct sb_audit audit = {0};
    struct sb_connector changed = *cc;
    json_t *cur = NULL, *before = NULL, *after = NULL;
    char *settings = NULL;
    const char *remove_url;
    sb_err err;

    err = config_settings(ctx, cc, &cur);
    if (err)
        return err;
    err = store_app_get(ctx->store, json_string_value(json_object_get(cur, "appId")), &app);
    if (err == SB_ERR_NOT_FOUND)
        err = sb_fail(diag, SB_ERR_CONFLICT, "AppRemoved",
                      "the connector's app was removed from the catalog; remove this "
                      "configuration instead");
    if (!err)
        err = check_fields(ctx, &app, f, diag);
    if (err)
        goto out;
    remove_url =
        f->remove_url ? f->remove_url : json_string_value(json_object_get(cur, "removeUrl"));
    settings = settings_text(
        app.id, f->entity_id ? f->entity_id : json_string_value(json_object_get(cur, "entityId")),
        f->content_url ? f->content_url : json_string_value(json_object_get(cur, "contentUrl")),
        remove_url);
    if (!settings) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (f->config_name)
        snprintf(changed.name, sizeof(changed.name), "%s", f->config_name);
    if (!(before = webhook_summary(cc)) || !(after = webhook_summary(&changed))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = webhook_audit_entry(ctx, who, "connector.update", cc, before, after, &audit)))
        goto out;
    err = store_connector_set_settings(ctx->store, cc->id, f->config_name, settings, &audit, 1);
    if (!err)
        memcpy(cc->name, changed.name, sizeof(cc->name));
out:
    store_app_free(&app);
    org_audit_entry_free(&audit);
    json_decref(before);
    json_decref(after);
    free(settings);
    json_decref(cur);
    return err;
}
