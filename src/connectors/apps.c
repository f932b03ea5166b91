#include "connectors/apps.h"

#include "connectors/configs.h"
#include "connectors/package.h"
#include "core/ids.h"
#include "org/org.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static json_t *summary(const struct store_app *a)
{
    return json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "externalId", a->external_id, "displayName",
                     a->display_name, "version", a->version, "connectorId",
                     a->connector_id[0] ? a->connector_id : NULL, "teamId",
                     a->team_id[0] ? a->team_id : NULL);
}

static void fill(struct sb_ctx *ctx, const struct sb_principal *who, const struct package_info *p,
                 const char *team_id, struct store_app *a)
{
    json_t *domains = json_array();
    char *text = NULL;

    memset(a, 0, sizeof(*a));
    sb_id_new(ctx, a->id);
    snprintf(a->external_id, sizeof(a->external_id), "%s", p->id);
    snprintf(a->team_id, sizeof(a->team_id), "%s", team_id ? team_id : "");
    snprintf(a->version, sizeof(a->version), "%s", p->version);
    snprintf(a->display_name, sizeof(a->display_name), "%s", p->short_name);
    snprintf(a->description, sizeof(a->description), "%s", p->short_description);
    snprintf(a->developer, sizeof(a->developer), "%s", p->developer_name);
    if (p->has_connector) {
        snprintf(a->connector_id, sizeof(a->connector_id), "%s", p->connector_id);
        snprintf(a->configuration_url, sizeof(a->configuration_url), "%s", p->configuration_url);
    }
    for (size_t i = 0; domains && i < p->valid_domain_count; i++)
        json_array_append_new(domains, json_string(p->valid_domains[i]));
    text = domains ? json_dumps(domains, JSON_COMPACT) : NULL;
    snprintf(a->valid_domains, sizeof(a->valid_domains), "%s",
             text && strlen(text) < sizeof(a->valid_domains) ? text : "[]");
    free(text);
    json_decref(domains);
    memcpy(a->created_by, who->user_id, sizeof(a->created_by));
    sb_time_now(ctx, a->created);
    memcpy(a->updated, a->created, sizeof(a->updated));
}

sb_err apps_publish(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct store_app *out, bool *updated, struct sb_diag *diag)
{
    struct package_info p;
    struct org_settings org;
    json_t *after;
    sb_time created;
    sb_err err;

    *updated = false;
    err = org_settings_get(ctx, &org);
    if (err)
        return err;
    if (!org.custom_apps_allowed)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "CustomAppsDisabled",
                       "custom apps cannot be uploaded in this cloud environment "
                       "(GCC, GCCH and DoD do not allow them)");
    if (len > APPS_PACKAGE_MAX)
        return sb_fail(diag, SB_ERR_TOO_LARGE, "RequestEntityTooLarge",
                       "the app package is larger than %d bytes", APPS_PACKAGE_MAX);
    err = package_validate(zip, len, &p, diag);
    if (err)
        return err;
    if (p.has_connector && strncasecmp(p.configuration_url, "http://", 7) == 0 &&
        !config_http_host_allowed(ctx, p.configuration_url)) {
        package_info_free(&p);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "manifest.json: connectors[0].configurationUrl must be an https URL "
                       "(plain http only for hosts in outboundAllowedHosts)");
    }
    fill(ctx, who, &p, team_id, out);
    memcpy(created, out->created, sizeof(created));
    err = store_app_put(ctx->store, out, p.color_icon, p.color_icon_len, zip, len);
    package_info_free(&p);
    if (err)
        return err;
    /* store_app_put keeps the first publication's id and time for a new version. */
    *updated = strcmp(created, out->created) != 0;
    after = summary(out);
    err = org_audit(ctx, who->user_id, who->display_name, team_id ? "app.upload" : "app.publish",
                    out->id, NULL, after);
    json_decref(after);
    return err;
}

sb_err apps_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_diag *diag)
{
    struct store_app a;
    json_t *before;
    sb_err err = store_app_get(ctx->store, id, &a);

    if (!err)
        err = store_app_delete(ctx->store, id);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "app '%s' not found", id);
    if (err)
        return err;
    before = summary(&a);
    err = org_audit(ctx, who->user_id, who->display_name, "app.delete", id, before, NULL);
    json_decref(before);
    return err;
}
