#include "connectors/apps.h"
#include "connectors/apps_publication.h"

#include "auth/perm.h"
#include "connectors/configs.h"
#include "connectors/package.h"
#include "core/ids.h"
#include "org/org.h"
#include "store/apps.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

json_t *apps_summary(const struct sb_app *a)
{
    return json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "externalId", a->external_id, "displayName",
                     a->display_name, "version", a->version, "connectorId",
                     a->connector_id[0] ? a->connector_id : NULL, "teamId",
                     a->team_id[0] ? a->team_id : NULL);
}

void apps_free(struct sb_app *a)
{
    store_app_free(a);
}

void apps_free_array(struct sb_app *as, size_t n)
{
    store_app_free_array(as, n);
}

/* Fills a (zeroed first) for a publication of p; its heap fields are a's (store_app_free), also
 * after an error. */
static sb_err fill(struct sb_ctx *ctx, const struct sb_principal *who, const struct package_info *p,
                   const char *team_id, struct sb_app *a)
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
    }
    a->configuration_url = strdup(p->has_connector ? p->configuration_url : "");
    for (size_t i = 0; domains && i < p->valid_domain_count; i++)
        json_array_append_new(domains, json_string(p->valid_domains[i]));
    text = domains ? json_dumps(domains, JSON_COMPACT) : NULL;
    /* A list that does not fit (or could not be made) is stored as "[]", as it always was. */
    if (text && strlen(text) < SB_APP_DOMAINS_CAP) {
        a->valid_domains = text;
        text = NULL;
    } else {
        a->valid_domains = strdup("[]");
    }
    free(text);
    json_decref(domains);
    memcpy(a->created_by, who->user_id, sizeof(a->created_by));
    sb_time_now(ctx, a->created);
    memcpy(a->updated, a->created, sizeof(a->updated));
    return a->configuration_url && a->valid_domains ? SB_OK : SB_ERR_NOMEM;
}

static sb_err refuse_blocked(struct sb_ctx *ctx, const char *external_id, struct sb_diag *diag)
{
    bool blocked = false;
    sb_err err = store_app_external_blocked(ctx->store, external_id, &blocked);

    if (!err && blocked)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "AppBlocked",
                      "the app '%s' is blocked by an administrator: it cannot be uploaded to a "
                      "team while it is blocked",
                      external_id);
    return err;
}

sb_err apps_prepare(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct apps_publication *pub, struct sb_diag *diag)
{
    struct org_settings org;
    json_t *after;
    sb_err err;

    memset(pub, 0, sizeof(*pub));
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
    if (!(pub->info = calloc(1, sizeof(*pub->info))))
        return SB_ERR_NOMEM;
    err = package_validate(zip, len, pub->info, diag);
    if (err) {
        free(pub->info);
        pub->info = NULL;
        return err;
    }
    /* A blocked app cannot come back through a team's "Upload a custom app"; the
     * administrators' own catalog keeps its entry (and its block) across new versions. */
    if (team_id && (err = refuse_blocked(ctx, pub->info->id, diag))) {
        apps_publication_free(pub);
        return err;
    }
    if (pub->info->has_connector && strncasecmp(pub->info->configuration_url, "http://", 7) == 0 &&
        !config_http_host_allowed(ctx, pub->info->configuration_url)) {
        apps_publication_free(pub);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "manifest.json: connectors[0].configurationUrl must be an https URL "
                       "(plain http only for hosts in outboundAllowedHosts)");
    }
    if ((err = fill(ctx, who, pub->info, team_id, &pub->app))) {
        apps_publication_free(pub);
        return err;
    }
    after = apps_summary(&pub->app);
    err = after ? org_audit_entry(ctx, who->user_id, who->display_name,
                                  team_id ? "app.upload" : "app.publish", "", NULL, after,
                                  &pub->audit)
                : SB_ERR_NOMEM;
    json_decref(after);
    if (err) {
        apps_publication_free(pub);
        return err;
    }
    pub->w.app = &pub->app;
    pub->w.icon = pub->info->color_icon;
    pub->w.icon_len = pub->info->color_icon_len;
    pub->w.package = zip;
    pub->w.package_len = len;
    pub->w.audit = &pub->audit;
    return SB_OK;
}

void apps_publication_free(struct apps_publication *pub)
{
    if (pub->info)
        package_info_free(pub->info);
    free(pub->info);
    pub->info = NULL;
    org_audit_entry_free(&pub->audit);
    store_app_free(&pub->app);
}

sb_err apps_publish(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct sb_app *out, bool *updated, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    struct apps_publication *pub;
    sb_time created;
    sb_err err;

    *updated = false;
    err = team_id ? sb_can(ctx, who, SB_ACT_CONNECTOR_CREATE, &res, diag)
                  : sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);
    if (err)
        return err;
    pub = calloc(1, sizeof(*pub));
    if (!pub)
        return SB_ERR_NOMEM;
    if ((err = apps_prepare(ctx, who, zip, len, team_id, pub, diag)))
        goto out;
    memcpy(created, pub->app.created, sizeof(created));
    err = store_app_put(ctx->store, &pub->w);
    if (err)
        goto out;
    /* store_app_put keeps the first publication's id and time for a new version. */
    *updated = strcmp(created, pub->app.created) != 0;
    /* The record moves to out: what it owns goes with it. */
    store_app_free(out);
    memcpy(out, &pub->app, sizeof(*out));
    memset(&pub->app, 0, sizeof(pub->app));
out:
    apps_publication_free(pub);
    free(pub);
    return err;
}

sb_err apps_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_diag *diag)
{
    struct sb_app a;
    struct sb_audit audit = {0};
    json_t *before = NULL;
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    if (err)
        return err;
    err = store_app_get(ctx->store, id, &a);
    if (!err) {
        before = apps_summary(&a);
        err = before ? org_audit_entry(ctx, who->user_id, who->display_name, "app.delete", id,
                                       before, NULL, &audit)
                     : SB_ERR_NOMEM;
    }
    if (!err)
        err = store_app_delete(ctx->store, id, &audit);
    json_decref(before);
    org_audit_entry_free(&audit);
    store_app_free(&a);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "app '%s' not found", id);
    return err;
}

sb_err apps_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                 struct sb_app **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (!err)
        err = store_app_list(ctx->store, team_id, out, n);
    return err;
}

/* Organisation apps are every signed-in person's; apps uploaded to a team are that team's, and
 * others learn nothing of them. */
static sb_err can_see(struct sb_ctx *ctx, const struct sb_principal *who, const struct sb_app *app,
                      struct sb_diag *diag)
{
    struct sb_resource res = {app->team_id, NULL, NULL};

    if (app->team_id[0])
        return sb_can(ctx, who, SB_ACT_TEAM_READ, &res, diag);
    return sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);
}

sb_err apps_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                 struct sb_app *out, struct sb_diag *diag)
{
    sb_err err = store_app_get(ctx->store, id, out);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "app '%s' not found", id);
    return err ? err : can_see(ctx, who, out, diag);
}

sb_err apps_icon(struct sb_ctx *ctx, const struct sb_principal *who, const char *id, void **data,
                 size_t *len, struct sb_diag *diag)
{
    struct sb_app app;
    sb_err err = store_app_get(ctx->store, id, &app);

    if (!err)
        err = can_see(ctx, who, &app, diag);
    if (!err)
        err = store_app_icon(ctx->store, app.id, data, len);
    store_app_free(&app);
    return err;
}

void apps_usage_free_array(struct sb_app_usage *us, size_t n)
{
    store_app_usage_free_array(us, n);
}

sb_err apps_admin_list(struct sb_ctx *ctx, const struct sb_principal *who,
                       struct sb_app_usage **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    *out = NULL;
    *n = 0;
    return err ? err : store_app_usage_list(ctx->store, out, n);
}

/* The audit log's picture of an app's block: its summary with the flag. */
static json_t *block_state(const struct sb_app *a, bool blocked)
{
    json_t *o = apps_summary(a);

    if (o && json_object_set_new(o, "blocked", json_boolean(blocked)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

sb_err apps_set_blocked(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                        bool blocked, struct sb_app_usage *out, struct sb_diag *diag)
{
    struct sb_audit audit = {0};
    json_t *before = NULL, *after = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if ((err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag)))
        return err;
    err = store_app_usage_get(ctx->store, id, out);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "app '%s' not found", id);
    /* Asking for the state it is in changes nothing and logs nothing. */
    if (err || out->app.blocked == blocked)
        return err;
    before = block_state(&out->app, out->app.blocked);
    after = block_state(&out->app, blocked);
    err = before && after
              ? org_audit_entry(ctx, who->user_id, who->display_name,
                                blocked ? "app.block" : "app.allow", id, before, after, &audit)
              : SB_ERR_NOMEM;
    if (!err)
        err = store_app_set_blocked(ctx->store, id, blocked, &audit);
    if (err == SB_ERR_NOT_FOUND)
        err = sb_fail(diag, err, "NotFound", "app '%s' not found", id);
    if (!err)
        out->app.blocked = blocked;
    json_decref(before);
    json_decref(after);
    org_audit_entry_free(&audit);
    return err;
}
