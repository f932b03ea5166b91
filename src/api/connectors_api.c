/*
 * connectors_api.c: connector configurations on a channel (incoming webhooks and connector
 * apps), their URLs, avatars and delivery logs.
 */
#include "api/api.h"

#include "connectors/apphost.h"
#include "connectors/catalog.h"
#include "connectors/configs.h"
#include "core/config.h"
#include "core/json.h"
#include "services/services.h"
#include "webhooks/manage.h"

#include <stdlib.h>
#include <string.h>

#define DELIVERIES_DEFAULT 50

/* Loads the channel named by path parameter 0 if the caller may do action on it. */
static bool load_channel(struct api_call *c, enum sb_action action, struct sb_channel *ch)
{
    sb_err err = webhook_channel_load(c->ctx, c->who, action, api_param(c, 0), ch, &c->diag);

    if (err)
        api_fail(c, err);
    return !err;
}

/* Loads the configuration named by path parameter 0 if the caller may do action on it. */
static bool load_connector(struct api_call *c, enum sb_action action, struct sb_connector *cc)
{
    sb_err err = webhook_config_load(c->ctx, c->who, action, api_param(c, 0), cc, &c->diag);

    if (err)
        api_fail(c, err);
    return !err;
}

/* A connector app's configuration also carries what its pages set (settings.setSettings) and
 * where the configuration host serves its pages. */
static void render_app_fields(struct api_call *c, const struct sb_connector *cc, json_t *o,
                              bool manage)
{
    char host[APPHOST_FRAME_URL_MAX];
    json_t *settings = NULL;
    const char *app_id;

    if (config_settings(c->ctx, cc, &settings) != SB_OK)
        return;
    app_id = json_string_value(json_object_get(settings, "appId"));
    json_object_set(o, "appId", json_object_get(settings, "appId"));
    json_object_set(o, "entityId", json_object_get(settings, "entityId"));
    json_object_set(o, "contentUrl", json_object_get(settings, "contentUrl"));
    if (json_object_get(settings, "removeUrl"))
        json_object_set(o, "removeUrl", json_object_get(settings, "removeUrl"));
    /* The host frame's URL carries a ticket for the caller: only for those who may manage. */
    if (manage && app_id && c->who &&
        apphost_frame_url(c->ctx, app_id, c->who->user_id, host, sizeof(host)) == SB_OK)
        json_object_set_new(o, "configurationHostUrl", json_string(host));
    json_decref(settings);
}

/* The configuration resource; URLs only for those who may manage it. */
static json_t *render(struct api_call *c, const struct sb_connector *cc, bool with_urls)
{
    char url[WEBHOOK_URL_MAX], wf[WEBHOOK_URL_MAX], image[640];
    json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", cc->id, "kind",
                          cc->kind, "connectorId", cc->connector_id, "name", cc->name, "configName",
                          cc->name, "teamId", cc->team_id, "channelId", cc->channel_id, "createdBy",
                          cc->created_by, "createdDateTime", cc->created, "attentionRequired",
                          webhook_attention_required(cc));

    if (!o)
        return NULL;
    json_object_set_new(o, "appType", json_string(cc->app_type[0] ? cc->app_type : "teams"));
    if (cc->image_type[0]) {
        snprintf(image, sizeof(image), "%s/api/v1/connectors/%s/image", c->ctx->cfg->public_url,
                 cc->id);
        json_object_set_new(o, "imageUrl", json_string(image));
    }
    json_object_set_new(o, "appType", json_string(cc->app_type[0] ? cc->app_type : "teams"));
    if (with_urls && service_is_kind(cc->kind)) {
        /* Service connectors: their one URL and settings (secret, filters, template). */
        if (service_render(c->ctx, cc, o) != SB_OK) {
            json_decref(o);
            return NULL;
        }
    } else if (with_urls && webhook_urls(c->ctx, cc, url, wf, sizeof(url)) == SB_OK) {
        json_object_set_new(o, "url", json_string(url));
        json_object_set_new(o, "workflowUrl", json_string(wf));
        if (strcmp(cc->kind, WEBHOOK_APP_KIND) == 0)
            json_object_set_new(o, "webhookUrl", json_string(url));
    }
    if (strcmp(cc->kind, WEBHOOK_APP_KIND) == 0)
        render_app_fields(c, cc, o, with_urls);
    return o;
}

void api_webhook_create(struct api_call *c)
{
    struct sb_channel ch;
    struct sb_connector cc;
    const char *name, *image, *app_type = NULL;
    json_t *body;
    sb_err err;

    if (!load_channel(c, SB_ACT_CONNECTOR_CREATE, &ch))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "name", true, SB_NAME_MAX, &name, &c->diag);
    if (!err)
        err = sb_json_string(body, "image", false, c->ctx->cfg->max_body, &image, &c->diag);
    if (!err)
        err = sb_json_string(body, "appType", false, 16, &app_type, &c->diag);
    if (!err)
        err = webhook_create(c->ctx, c->who, &ch, name, image && *image ? image : NULL, app_type,
                             &cc, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, render(c, &cc, true));
}

/* Reads the connector-app fields of a create or update body (absent fields stay NULL). */
static sb_err app_fields(struct api_call *c, json_t *body, struct config_fields *f)
{
    sb_err err;

    err = sb_json_string(body, "configName", false, SB_NAME_MAX, &f->config_name, &c->diag);
    if (!err)
        err =
            sb_json_string(body, "entityId", false, CONFIG_ENTITY_ID_MAX, &f->entity_id, &c->diag);
    if (!err)
        err = sb_json_string(body, "contentUrl", false, CONFIG_URL_MAX, &f->content_url, &c->diag);
    if (!err)
        err = sb_json_string(body, "removeUrl", false, CONFIG_URL_MAX, &f->remove_url, &c->diag);
    return err;
}

/* What the configuration host sends when a connector app's page saves. */
void api_connector_create(struct api_call *c)
{
    struct sb_channel ch;
    struct sb_connector cc;
    struct config_fields f = {0};
    const char *connector_id = NULL, *app_type = NULL;
    json_t *body;
    sb_err err;

    if (!load_channel(c, SB_ACT_CONNECTOR_CREATE, &ch))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "connectorId", true, 64, &connector_id, &c->diag);
    if (!err)
        err = sb_json_string(body, "appType", false, 16, &app_type, &c->diag);
    if (!err)
        err = app_fields(c, body, &f);
    if (!err)
        err = config_create(c->ctx, c->who, &ch, connector_id, &f, app_type, &cc, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 201, render(c, &cc, true));
}

void api_connector_list(struct api_call *c)
{
    struct sb_channel ch;
    struct sb_connector *list = NULL;
    size_t n = 0;
    json_t *value;
    bool manage;
    sb_err err;

    if (!load_channel(c, SB_ACT_CHANNEL_READ, &ch))
        return;
    err = webhook_config_list(c->ctx, ch.id, &list, &n);
    if (err) {
        api_fail(c, err);
        return;
    }
    manage = n > 0 && webhook_may_manage(c->ctx, c->who, &list[0]);
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, render(c, &list[i], manage));
    free(list);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_connector_get(struct api_call *c)
{
    struct sb_connector cc;

    if (!load_connector(c, SB_ACT_CHANNEL_READ, &cc))
        return;
    api_json(c, 200, render(c, &cc, webhook_may_manage(c->ctx, c->who, &cc)));
}

void api_connector_patch(struct api_call *c)
{
    struct sb_connector cc;
    const char *name = NULL, *config_name = NULL;
    json_t *body;
    sb_err err;

    if (!load_connector(c, SB_ACT_CONNECTOR_MANAGE, &cc))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    if (strcmp(cc.kind, WEBHOOK_APP_KIND) == 0) {
        struct config_fields f = {0};

        err = app_fields(c, body, &f);
        if (!err && !f.config_name)
            err = sb_json_string(body, "name", false, SB_NAME_MAX, &f.config_name, &c->diag);
        if (!err)
            err = config_update(c->ctx, c->who, &cc, &f, &c->diag);
        goto out;
    }
    err = sb_json_string(body, "configName", false, SB_NAME_MAX, &config_name, &c->diag);
    if (!err)
        err = sb_json_string(body, "name", false, SB_NAME_MAX, &name, &c->diag);
    if (!err && config_name)
        name = config_name;
    if (!err && name && !*name)
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "name must not be empty");
    if (!err && service_is_kind(cc.kind)) {
        bool changed = false;

        /* New settings, a new name and their audit entries are one write: the PATCH applies
         * whole or not at all. */
        err = service_update(c->ctx, c->who, &cc, body, name, &changed, &c->diag);
        if (!err && changed && name) {
            snprintf(cc.name, sizeof(cc.name), "%s", name);
            name = NULL; /* renamed already */
        }
    }
    if (!err && name)
        err = webhook_config_rename(c->ctx, c->who, &cc, name);
out:
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, render(c, &cc, true));
}

void api_connector_delete(struct api_call *c)
{
    struct sb_connector cc;
    sb_err err;

    if (!load_connector(c, SB_ACT_CONNECTOR_MANAGE, &cc))
        return;
    err = webhook_config_delete(c->ctx, c->who, &cc);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_no_content(c);
}

/* A service connector's URL is replaced the same way (a new nonce): the old one stops. */
static void update_service_url(struct api_call *c, struct sb_connector *cc)
{
    char url[WEBHOOK_URL_MAX];
    sb_err err = webhook_service_url_replace(c->ctx, c->who, cc, &c->diag);

    if (!err)
        err = service_url(c->ctx, cc, url, sizeof(url));
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, json_pack("{s:s,s:b}", "url", url, "attentionRequired", 0));
}

void api_webhook_update_url(struct api_call *c)
{
    char url[WEBHOOK_URL_MAX], wf[WEBHOOK_URL_MAX];
    struct sb_connector cc;
    sb_err err;

    if (!load_connector(c, SB_ACT_CONNECTOR_MANAGE, &cc))
        return;
    if (service_is_kind(cc.kind)) {
        update_service_url(c, &cc);
        return;
    }
    if (strcmp(cc.kind, WEBHOOK_KIND) != 0) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "'%s' is not an incoming webhook", cc.id);
        return;
    }
    err = webhook_url_replace(c->ctx, c->who, &cc, &c->diag);
    if (!err)
        err = webhook_urls(c->ctx, &cc, url, wf, sizeof(url));
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200,
             json_pack("{s:s,s:s,s:b}", "url", url, "workflowUrl", wf, "attentionRequired", 0));
}

void api_connector_deliveries(struct api_call *c)
{
    struct sb_connector cc;
    struct sb_delivery *list = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    if (!load_connector(c, SB_ACT_CONNECTOR_MANAGE, &cc))
        return;
    err = webhook_deliveries(c->ctx, cc.id, &list, &n);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++) {
        char id[24];
        snprintf(id, sizeof(id), "%lld", (long long)list[i].seq);
        json_array_append_new(value,
                              json_pack("{s:s,s:s,s:I,s:i,s:s,s:s?}", "id", id, "dateTime",
                                        list[i].at, "size", (json_int_t)list[i].size, "status",
                                        list[i].status, "error", list[i].error, "messageId",
                                        list[i].message_id[0] ? list[i].message_id : NULL));
    }
    free(list);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_connector_image(struct api_call *c)
{
    struct sb_connector cc;
    char type[64];
    void *data = NULL;
    size_t len = 0;
    sb_err err;

    if (!load_connector(c, SB_ACT_CHANNEL_READ, &cc))
        return;
    err = webhook_config_image(c->ctx, cc.id, type, sizeof(type), &data, &len, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    if (strcmp(type, "url") == 0) {
        char *url = strndup(data, len);
        free(data);
        if (!url) {
            api_fail(c, SB_ERR_NOMEM);
            return;
        }
        c->resp->status = 302;
        http_response_header(c->resp, "Location", "%s", url);
        free(url);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = strcmp(type, "image/png") == 0    ? "image/png"
                            : strcmp(type, "image/jpeg") == 0 ? "image/jpeg"
                            : strcmp(type, "image/gif") == 0  ? "image/gif"
                                                              : "image/webp";
    c->resp->body = data;
    c->resp->body_len = len;
    http_response_header(c->resp, "Cache-Control", "private, max-age=300");
    http_response_header(c->resp, "Content-Security-Policy", "default-src 'none'; sandbox");
}

/* What can be added here (catalog_for_channel). */
void api_connector_catalog(struct api_call *c)
{
    json_t *page = NULL;
    sb_err err = catalog_for_channel(c->ctx, c->who, api_param(c, 0), &page, &c->diag);

    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, page);
}
