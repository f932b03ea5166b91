/*
 * manage.c: connector configurations as handlers manage them (manage.h).
 */
#include "webhooks/manage.h"

#include "core/ids.h"
#include "org/org.h"
#include "store/connectors.h"
#include "store/teams.h"

#include <stdio.h>
#include <string.h>

sb_err webhook_channel_load(struct sb_ctx *ctx, const struct sb_principal *who,
                            enum sb_action action, const char *channel_id, struct sb_channel *out,
                            struct sb_diag *diag)
{
    struct sb_resource res = {NULL, NULL, NULL};
    sb_err err = store_channel_get(ctx->store, channel_id, out);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "channel '%s' not found", channel_id);
    if (err)
        return err;
    res.team_id = out->team_id;
    res.channel_id = out->id;
    return sb_can(ctx, who, action, &res, diag);
}

sb_err webhook_config_load(struct sb_ctx *ctx, const struct sb_principal *who,
                           enum sb_action action, const char *id, struct sb_connector *out,
                           struct sb_diag *diag)
{
    struct sb_resource res = {NULL, NULL, NULL};
    sb_err err = store_connector_get(ctx->store, id, out);

    if (!err && out->deleted)
        err = SB_ERR_NOT_FOUND;
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "connector configuration '%s' not found", id);
    if (err)
        return err;
    res.team_id = out->team_id;
    res.channel_id = out->channel_id;
    return sb_can(ctx, who, action, &res, diag);
}

sb_err webhook_config_list(struct sb_ctx *ctx, const char *channel_id, struct sb_connector **out,
                           size_t *n)
{
    return store_connector_list(ctx->store, channel_id, out, n);
}

/* The audit entry of a change to cc; before and after are stolen (NULL allowed, but a failed
 * json_pack gives SB_ERR_NOMEM). */
static sb_err audit_entry(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                          const struct sb_connector *cc, json_t *before, bool want_before,
                          json_t *after, struct sb_audit *out)
{
    sb_err err = (want_before && !before) || !after
                     ? SB_ERR_NOMEM
                     : webhook_audit_entry(ctx, who, action, cc, before, after, out);

    json_decref(before);
    json_decref(after);
    return err;
}

sb_err webhook_config_rename(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_connector *cc, const char *name)
{
    struct sb_connector renamed = *cc;
    struct sb_audit a = {0};
    sb_err err;

    snprintf(renamed.name, sizeof(renamed.name), "%s", name);
    err = audit_entry(ctx, who, "connector.update", cc, webhook_summary(cc), true,
                      webhook_summary(&renamed), &a);
    if (!err)
        err = store_connector_rename(ctx->store, cc->id, name, &a, 1);
    org_audit_entry_free(&a);
    if (!err)
        memcpy(cc->name, renamed.name, sizeof(cc->name));
    return err;
}

sb_err webhook_config_delete(struct sb_ctx *ctx, const struct sb_principal *who,
                             const struct sb_connector *cc)
{
    struct sb_audit a = {0};
    sb_time now;
    sb_err err;

    sb_time_now(ctx, now);
    err = audit_entry(ctx, who, "connector.delete", cc, webhook_summary(cc), true, json_null(), &a);
    if (!err)
        err = store_connector_delete(ctx->store, cc->id, now, &a, 1);
    org_audit_entry_free(&a);
    return err;
}

sb_err webhook_url_replace(struct sb_ctx *ctx, const struct sb_principal *who,
                           struct sb_connector *cc, struct sb_diag *diag)
{
    struct sb_audit a = {0};
    /* The URLs themselves are secrets: the log says which shape was replaced, not the URLs.
     * An update always gives the v2 shape. */
    sb_err err = audit_entry(ctx, who, "webhook.updateUrl", cc,
                             json_pack("{s:s,s:b}", "urlFormat", cc->url_format, "urlReplaced", 0),
                             true, json_pack("{s:s,s:b}", "urlFormat", "v2", "urlReplaced", 1), &a);

    if (!err)
        err = webhook_update_url(ctx, cc, &a, diag);
    org_audit_entry_free(&a);
    return err;
}

sb_err webhook_service_url_replace(struct sb_ctx *ctx, const struct sb_principal *who,
                                   struct sb_connector *cc, struct sb_diag *diag)
{
    struct sb_audit a = {0};
    sb_err err = audit_entry(ctx, who, "serviceConnector.updateUrl", cc, NULL, false,
                             json_pack("{s:b}", "urlReplaced", 1), &a);

    if (!err)
        err = webhook_update_url(ctx, cc, &a, diag);
    org_audit_entry_free(&a);
    return err;
}

sb_err webhook_deliveries(struct sb_ctx *ctx, const char *id, struct sb_delivery **out, size_t *n)
{
    return store_delivery_list(ctx->store, id, SB_DELIVERIES_KEPT, out, n);
}

sb_err webhook_config_image(struct sb_ctx *ctx, const char *id, char *type, size_t type_cap,
                            void **data, size_t *len, struct sb_diag *diag)
{
    sb_err err = store_connector_image(ctx->store, id, type, type_cap, data, len);

    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "this connector has no image");
    return err;
}

bool webhook_may_manage(struct sb_ctx *ctx, const struct sb_principal *who,
                        const struct sb_connector *cc)
{
    struct sb_resource res = {cc->team_id, cc->channel_id, NULL};

    return sb_can(ctx, who, SB_ACT_CONNECTOR_MANAGE, &res, NULL) == SB_OK;
}
