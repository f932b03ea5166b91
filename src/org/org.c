#include "org/org.h"

#include "core/ids.h"
#include "core/json.h"
#include "net/url.h"
#include "store/audit.h"
#include "store/settings.h"
#include "store/teams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* SETTING_BOOL_OFF / SETTING_BOOL_ON: a switch that is false / true when not set, whatever the
 * cloud environment. */
enum setting_type {
    SETTING_BOOL,
    SETTING_BOOL_OFF,
    SETTING_BOOL_ON,
    SETTING_ENUM,
    SETTING_TIME,
    SETTING_HOSTS
};

struct setting {
    const char *name;
    enum setting_type type;
    const char *choices[5]; /* SETTING_ENUM; choices[0] is the default */
};

static const struct setting settings[] = {
    {"connectorsEnabled", SETTING_BOOL, {NULL}},
    {"connectorsEnabledForTeams", SETTING_BOOL, {NULL}},
    {"connectorsActionableMessagesEnabled", SETTING_BOOL, {NULL}},
    {"cloudEnvironment", SETTING_ENUM, {"commercial", "gcc", "gcch", "dod", NULL}},
    {"outboundAllowedHosts", SETTING_HOSTS, {NULL}},
    {"webhookUrlFormat", SETTING_ENUM, {"v2", "legacy", NULL}},
    {"legacyWebhookUrlCutoff", SETTING_TIME, {NULL}},
    {"developersMayRegisterConnectors", SETTING_BOOL_OFF, {NULL}},
    {"unsignedWebhookUrlsAccepted", SETTING_BOOL_ON, {NULL}},
};

#define NSETTINGS (sizeof(settings) / sizeof(settings[0]))

static const struct setting *find(const char *name)
{
    for (size_t i = 0; i < NSETTINGS; i++)
        if (strcmp(settings[i].name, name) == 0)
            return &settings[i];
    return NULL;
}

sb_err org_cache_init(struct org_cache *c)
{
    memset(c, 0, sizeof(*c));
    return pthread_mutex_init(&c->mu, NULL) == 0 ? SB_OK : SB_ERR_NOMEM;
}

void org_cache_destroy(struct org_cache *c)
{
    pthread_mutex_destroy(&c->mu);
}

/* Explicit values as stored (JSON text), NULL for "not set". */
static sb_err load_explicit(struct sb_ctx *ctx, char *vals[NSETTINGS])
{
    for (size_t i = 0; i < NSETTINGS; i++) {
        sb_err err = store_setting_get(ctx->store, settings[i].name, &vals[i]);
        if (err == SB_ERR_NOT_FOUND) {
            vals[i] = NULL;
            continue;
        }
        if (err) {
            for (size_t j = 0; j < i; j++)
                free(vals[j]);
            return err;
        }
    }
    return SB_OK;
}

static int cloud_of(const char *explicit_value)
{
    if (!explicit_value)
        return ORG_COMMERCIAL;
    if (strcmp(explicit_value, "\"gcc\"") == 0)
        return ORG_GCC;
    if (strcmp(explicit_value, "\"gcch\"") == 0)
        return ORG_GCCH;
    if (strcmp(explicit_value, "\"dod\"") == 0)
        return ORG_DOD;
    return ORG_COMMERCIAL;
}

/* The effective JSON value of setting i (new reference). */
static json_t *effective(size_t i, char *const vals[NSETTINGS], int cloud)
{
    const struct setting *s = &settings[i];
    json_t *v = vals[i] ? json_loads(vals[i], JSON_DECODE_ANY, NULL) : NULL;

    if (v)
        return v;
    switch (s->type) {
    case SETTING_BOOL:
        /* GCC and GCCH start with connectors off until an administrator turns them on. */
        return json_boolean(cloud != ORG_GCC && cloud != ORG_GCCH);
    case SETTING_BOOL_OFF:
        return json_false();
    case SETTING_BOOL_ON:
        return json_true();
    case SETTING_ENUM:
        return json_string(s->choices[0]);
    case SETTING_HOSTS:
        return json_array();
    case SETTING_TIME:
        break;
    }
    return json_null();
}

/* The settings as stored, or (patch not NULL) as they will be once patch (checked: known
 * keys, valid values; null removes) is stored. */
static sb_err compute(struct sb_ctx *ctx, struct org_settings *out, json_t **resource,
                      json_t *patch)
{
    char *vals[NSETTINGS];
    json_t *o = NULL, *explicit_list = NULL;
    sb_err err = load_explicit(ctx, vals);
    int cloud;

    if (err)
        return err;
    for (size_t i = 0; patch && i < NSETTINGS; i++) {
        json_t *v = json_object_get(patch, settings[i].name);

        if (!v)
            continue;
        free(vals[i]);
        vals[i] = NULL;
        if (!json_is_null(v) && (err = sb_json_dump(v, &vals[i])))
            goto out;
    }
    cloud = cloud_of(vals[find("cloudEnvironment") - settings]);
    o = json_object();
    explicit_list = json_array();
    if (!o || !explicit_list) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < NSETTINGS; i++) {
        json_object_set_new(o, settings[i].name, effective(i, vals, cloud));
        if (vals[i])
            json_array_append_new(explicit_list, json_string(settings[i].name));
    }
    memset(out, 0, sizeof(*out));
    out->cloud = cloud;
    out->connectors_enabled = json_is_true(json_object_get(o, "connectorsEnabled"));
    out->connectors_for_teams = json_is_true(json_object_get(o, "connectorsEnabledForTeams"));
    out->actionable_enabled =
        json_is_true(json_object_get(o, "connectorsActionableMessagesEnabled"));
    out->custom_apps_allowed = cloud == ORG_COMMERCIAL;
    out->developers_may_register =
        json_is_true(json_object_get(o, "developersMayRegisterConnectors"));
    out->unsigned_urls_accepted = json_is_true(json_object_get(o, "unsignedWebhookUrlsAccepted"));
    out->webhook_url_legacy =
        strcmp(json_string_value(json_object_get(o, "webhookUrlFormat")), "legacy") == 0;
    if (json_is_string(json_object_get(o, "legacyWebhookUrlCutoff")) &&
        sb_time_parse(json_string_value(json_object_get(o, "legacyWebhookUrlCutoff")),
                      &out->legacy_cutoff_ms) != SB_OK)
        out->legacy_cutoff_ms = 0;
    if (resource) {
        json_object_set_new(o, "customConnectorsAllowed", json_boolean(out->custom_apps_allowed));
        json_object_set_new(o, "tenantId", json_string(ctx->tenant_id));
        json_object_set(o, "explicitSettings", explicit_list);
        *resource = o;
        o = NULL;
    }
out:
    for (size_t i = 0; i < NSETTINGS; i++)
        free(vals[i]);
    json_decref(explicit_list);
    json_decref(o);
    return err;
}

sb_err org_settings_get(struct sb_ctx *ctx, struct org_settings *out)
{
    struct org_cache *c = ctx->org;
    uint64_t generation;
    int64_t now;
    sb_err err;

    if (!c)
        return compute(ctx, out, NULL, NULL);
    now = sb_now_ms(ctx);
    pthread_mutex_lock(&c->mu);
    if (c->valid && now - c->loaded_ms < ORG_CACHE_MS && now >= c->loaded_ms) {
        *out = c->value;
        pthread_mutex_unlock(&c->mu);
        return SB_OK;
    }
    generation = c->generation;
    pthread_mutex_unlock(&c->mu);
    err = compute(ctx, out, NULL, NULL);
    if (err)
        return err;
    pthread_mutex_lock(&c->mu);
    /* A change made while this reload ran makes its result stale: keep it for this caller
     * only, and let the next one read again. */
    if (c->generation == generation) {
        c->value = *out;
        c->loaded_ms = now;
        c->valid = true;
    }
    pthread_mutex_unlock(&c->mu);
    return SB_OK;
}

static void invalidate(struct sb_ctx *ctx)
{
    if (!ctx->org)
        return;
    pthread_mutex_lock(&ctx->org->mu);
    ctx->org->valid = false;
    ctx->org->generation++;
    pthread_mutex_unlock(&ctx->org->mu);
}

bool org_team_connectors_enabled(const struct org_settings *org, const struct sb_team *team,
                                 const char **why)
{
    if (!org->connectors_enabled || !org->connectors_for_teams) {
        *why = "Connectors are turned off for this organization by an administrator.";
        return false;
    }
    if (team->connectors_enabled == 0) {
        *why = "Connectors are turned off for this team by an administrator.";
        return false;
    }
    *why = NULL;
    return true;
}

sb_err org_settings_render(struct sb_ctx *ctx, json_t **out)
{
    struct org_settings s;

    return compute(ctx, &s, out, NULL);
}

static sb_err check(const struct setting *s, json_t *v, struct sb_diag *diag)
{
    int64_t ms;
    size_t i;
    json_t *h;

    if (json_is_null(v))
        return SB_OK;
    switch (s->type) {
    case SETTING_BOOL:
    case SETTING_BOOL_OFF:
    case SETTING_BOOL_ON:
        if (!json_is_boolean(v))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be true, false or null",
                           s->name);
        return SB_OK;
    case SETTING_TIME:
        if (!json_is_string(v) || sb_time_parse(json_string_value(v), &ms) != SB_OK)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "%s must be an RFC 3339 time such as 2026-01-31T00:00:00Z, or null",
                           s->name);
        return SB_OK;
    case SETTING_HOSTS:
        if (!json_is_array(v) || json_array_size(v) > 256)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "%s must be an array of at most 256 \"host[:port]\" strings", s->name);
        json_array_foreach(v, i, h)
        {
            if (!json_is_string(h) || !net_url_host_entry_ok(json_string_value(h)))
                return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                               "%s[%zu] must be \"host\" or \"host:port\"", s->name, i);
        }
        return SB_OK;
    case SETTING_ENUM:
        break;
    }
    for (int k = 0; json_is_string(v) && s->choices[k]; k++)
        if (strcmp(s->choices[k], json_string_value(v)) == 0)
            return SB_OK;
    return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be one of %s%s%s%s%s%s%s",
                   s->name, s->choices[0], s->choices[1] ? ", " : "",
                   s->choices[1] ? s->choices[1] : "", s->choices[2] ? ", " : "",
                   s->choices[2] ? s->choices[2] : "", s->choices[3] ? ", " : "",
                   s->choices[3] ? s->choices[3] : "");
}

sb_err org_audit_entry(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                       const char *action, const char *target, json_t *before, json_t *after,
                       struct sb_audit *out)
{
    sb_err err = SB_OK;

    memset(out, 0, sizeof(*out));
    sb_time_now(ctx, out->at);
    snprintf(out->actor_id, sizeof(out->actor_id), "%s", actor_id ? actor_id : "");
    snprintf(out->actor_name, sizeof(out->actor_name), "%s", actor_name ? actor_name : "");
    snprintf(out->action, sizeof(out->action), "%s", action);
    snprintf(out->target, sizeof(out->target), "%s", target);
    if (before)
        err = sb_json_dump(before, &out->before);
    if (!err && after)
        err = sb_json_dump(after, &out->after);
    if (err)
        org_audit_entry_free(out);
    return err;
}

void org_audit_entry_free(struct sb_audit *a)
{
    free(a->before);
    free(a->after);
    a->before = a->after = NULL;
}

sb_err org_audit_page(struct sb_ctx *ctx, int64_t before, const struct sb_audit_filter *filter,
                      size_t limit, struct sb_audit **out, size_t *n)
{
    return store_audit_list(ctx->store, before, filter, limit, out, n);
}

void org_audit_free_array(struct sb_audit *list, size_t n)
{
    store_audit_free_array(list, n);
}

sb_err org_settings_patch(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                          json_t *patch, struct sb_diag *diag)
{
    const char *keys[NSETTINGS], *vals[NSETTINGS];
    char *texts[NSETTINGS] = {0};
    json_t *before = NULL, *after = NULL, *v;
    struct sb_audit audit = {0};
    struct org_settings ignored;
    bool changed;
    const char *key;
    size_t n = 0;
    sb_err err;

    json_object_foreach(patch, key, v)
    {
        const struct setting *s = find(key);
        if (strcmp(key, "tenantId") == 0 || strcmp(key, "explicitSettings") == 0 ||
            strcmp(key, "customConnectorsAllowed") == 0)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s is read-only", key);
        if (!s)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "unknown setting '%s'", key);
        err = check(s, v, diag);
        if (err)
            return err;
    }
    /* Every key is a known setting, each named once: n <= NSETTINGS. */
    json_object_foreach(patch, key, v)
    {
        keys[n] = find(key)->name;
        if (!json_is_null(v) && (err = sb_json_dump(v, &texts[n])))
            goto out;
        vals[n] = texts[n];
        n++;
    }
    if ((err = compute(ctx, &ignored, &before, NULL)) ||
        (err = compute(ctx, &ignored, &after, patch)))
        goto out;
    /* A PATCH that changes nothing leaves no entry. */
    changed = !json_equal(before, after);
    if (changed && (err = org_audit_entry(ctx, actor_id, actor_name, "organization.update",
                                          "organization", before, after, &audit)))
        goto out;
    /* The settings and their audit entry: one transaction, all of them or none. */
    err = store_settings_put(ctx->store, keys, vals, n, changed ? &audit : NULL);
    invalidate(ctx);
out:
    for (size_t i = 0; i < n && i < NSETTINGS; i++)
        free(texts[i]);
    org_audit_entry_free(&audit);
    json_decref(before);
    json_decref(after);
    return err;
}

sb_err org_team_switch(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                       const char *team_id, int enabled, struct sb_diag *diag)
{
    struct sb_team t;
    struct sb_audit audit = {0};
    json_t *before, *after;
    sb_err err = store_team_get(ctx->store, team_id, &t);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "team '%s' not found", team_id);
    if (err)
        return err;
    before = t.connectors_enabled < 0
                 ? json_pack("{s:n}", "connectorsEnabled")
                 : json_pack("{s:b}", "connectorsEnabled", t.connectors_enabled);
    after = enabled < 0 ? json_pack("{s:n}", "connectorsEnabled")
                        : json_pack("{s:b}", "connectorsEnabled", enabled);
    err = before && after ? org_audit_entry(ctx, actor_id, actor_name, "team.connectors", team_id,
                                            before, after, &audit)
                          : SB_ERR_NOMEM;
    /* The switch and its audit entry: one transaction. */
    if (!err)
        err = store_team_set_connectors_enabled(ctx->store, team_id, enabled, &audit);
    org_audit_entry_free(&audit);
    json_decref(before);
    json_decref(after);
    return err;
}
