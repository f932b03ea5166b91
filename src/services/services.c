/*
 * services.c: service connector configurations: the kinds, their settings (secret, event and
 * branch filters, template), creating and updating them with their audit records, and their
 * ingest URLs. What a service posts is checked in post.c; the template card in template_card.c.
 */
#include "services/services.h"

#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"
#include "org/org.h"
#include "services/template.h"
#include "webhooks/webhooks.h"
#include "store/connectors.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MAX 32
#define BRANCH_PATTERN_MAX 200
#define SECRET_MIN 8

struct kind {
    const char *kind;
    const char *connector_id;  /* catalog id, stable */
    const char *const *events; /* what the events filter may name; NULL: no filters */
    bool secret;               /* a shared secret checks each post */
};

static const char *const github_events[] = {
    "push",    "pull_request",  "pull_request_review",
    "issues",  "issue_comment", "pull_request_review_comment",
    "release", "workflow_run",  NULL};
static const char *const gitlab_events[] = {"push",  "tag_push", "merge_request",
                                            "issue", "pipeline", NULL};

static const struct kind kinds[] = {
    {"github", "0c3e8d7a-5b1f-4e62-9a0d-6f2b9c1e4a01", github_events, true},
    {"gitlab", "5f1b2c9e-8d3a-4c7b-a6e1-2d9f0b3c4a02", gitlab_events, true},
    {"alertmanager", "9a4d6e2b-1c7f-4b3e-8d5a-0e6f2a1b4c03", NULL, false},
    {"template", "e2b7c1d4-6a9f-4e3b-b5c8-1f0d2e3a4b04", NULL, false},
};

static const struct kind *find_kind(const char *kind)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return &kinds[i];
    return NULL;
}

const char *service_connector_id(const char *kind)
{
    const struct kind *k = find_kind(kind);
    return k ? k->connector_id : NULL;
}

const char *service_icon(const char *kind)
{
    static const char *const icons[] = {"/icons/github.svg", "/icons/gitlab.svg",
                                        "/icons/alertmanager.svg", "/icons/template.svg"};

    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return icons[i];
    return NULL;
}

const char *service_kind_of(const char *connector_id)
{
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i].connector_id, connector_id) == 0)
            return kinds[i].kind;
    return NULL;
}

bool service_is_kind(const char *kind)
{
    return find_kind(kind) != NULL;
}

/* ---- settings ---- */

static sb_err check_secret(const char *s, struct sb_diag *diag)
{
    size_t n = strlen(s);

    if (n < SECRET_MIN || n > SERVICE_SECRET_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "secret must be %d to %d bytes",
                       SECRET_MIN, SERVICE_SECRET_MAX);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= ' ' || *p >= 0x7f)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "secret must be printable ASCII without spaces");
    return SB_OK;
}

static bool known_event(const struct kind *k, const char *e)
{
    for (const char *const *p = k->events; *p; p++)
        if (strcmp(*p, e) == 0)
            return true;
    return false;
}

/* events / branches: arrays of strings, each checked; copied into settings. */
static sb_err take_filter(const struct kind *k, json_t *body, const char *key, json_t *settings,
                          struct sb_diag *diag)
{
    json_t *list = json_object_get(body, key), *v, *copy;
    size_t i;

    if (!list || json_is_null(list))
        return SB_OK;
    if (!k->events)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s connectors have no %s filter",
                       k->kind, key);
    if (!json_is_array(list) || json_array_size(list) > FILTER_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "%s must be an array of at most %d strings", key, FILTER_MAX);
    json_array_foreach(list, i, v)
    {
        const char *s = json_string_value(v);
        if (!s || !*s || strlen(s) > BRANCH_PATTERN_MAX)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "%s[%zu] must be a string of 1 to %d bytes", key, i, BRANCH_PATTERN_MAX);
        if (strcmp(key, "events") == 0 && !known_event(k, s))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "events[%zu]: '%s' is not an event of the %s connector", i, s, k->kind);
    }
    copy = json_deep_copy(list);
    if (!copy || json_object_set_new(settings, key, copy) != 0)
        return SB_ERR_NOMEM;
    return SB_OK;
}

/* Applies body's settings fields onto settings (which holds the current ones). */
static sb_err apply(const struct sb_ctx *ctx, const struct kind *k, json_t *body, json_t *settings,
                    bool creating, bool *changed, struct sb_diag *diag)
{
    const char *secret = NULL;
    json_t *tmpl = json_object_get(body, "template");
    sb_err err;

    *changed = json_object_get(body, "secret") || json_object_get(body, "events") ||
               json_object_get(body, "branches") || tmpl;
    err = sb_json_string(body, "secret", false, SERVICE_SECRET_MAX, &secret, diag);
    if (!err && secret && !k->secret)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s connectors have no secret",
                      k->kind);
    if (!err && secret)
        err = check_secret(secret, diag);
    if (!err && secret && json_object_set_new(settings, "secret", json_string(secret)) != 0)
        err = SB_ERR_NOMEM;
    if (!err && !secret && creating && k->secret) {
        unsigned char raw[20];
        char hex[41];
        sb_random(ctx, raw, sizeof(raw));
        sb_hex(raw, sizeof(raw), hex);
        if (json_object_set_new(settings, "secret", json_string(hex)) != 0)
            err = SB_ERR_NOMEM;
    }
    if (!err)
        err = take_filter(k, body, "events", settings, diag);
    if (!err)
        err = take_filter(k, body, "branches", settings, diag);
    if (!err && tmpl && strcmp(k->kind, "template") != 0)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s connectors have no template",
                      k->kind);
    if (!err && strcmp(k->kind, "template") == 0 && creating && !tmpl)
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "template is required");
    if (!err && tmpl && !json_is_object(tmpl))
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "template must be an object");
    if (!err && tmpl)
        err = template_check(tmpl, diag);
    if (!err && tmpl && json_object_set(settings, "template", tmpl) != 0)
        err = SB_ERR_NOMEM;
    return err;
}

static sb_err check_name(const char *name, struct sb_diag *diag)
{
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "name must not contain control characters");
    return SB_OK;
}

sb_err service_create(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_channel *ch, json_t *body, struct sb_connector *out,
                      struct sb_diag *diag)
{
    const char *kind = NULL, *name = NULL;
    const struct kind *k;
    json_t *settings = json_object(), *after = NULL;
    struct sb_audit audit = {0};
    char *text = NULL;
    bool changed;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!settings)
        return SB_ERR_NOMEM;
    err = sb_json_string(body, "kind", true, 32, &kind, diag);
    if (err)
        goto out;
    k = find_kind(kind);
    if (!k) {
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                      "kind must be github, gitlab, alertmanager or template");
        goto out;
    }
    err = sb_json_string(body, "name", true, SB_NAME_MAX, &name, diag);
    if (!err)
        err = check_name(name, diag);
    if (!err)
        err = apply(ctx, k, body, settings, true, &changed, diag);
    if (!err)
        err = sb_json_dump(settings, &text);
    if (err)
        goto out;
    sb_id_new(ctx, out->id);
    snprintf(out->kind, sizeof(out->kind), "%s", k->kind);
    snprintf(out->connector_id, sizeof(out->connector_id), "%s", k->connector_id);
    memcpy(out->team_id, ch->team_id, sizeof(out->team_id));
    memcpy(out->channel_id, ch->id, sizeof(out->channel_id));
    snprintf(out->name, sizeof(out->name), "%s", name);
    memcpy(out->created_by, who->user_id, sizeof(out->created_by));
    sb_time_now(ctx, out->created);
    snprintf(out->url_format, sizeof(out->url_format), "v2");
    {
        unsigned char raw[16];
        sb_random(ctx, raw, sizeof(raw));
        sb_hex(raw, sizeof(raw), out->url_nonce);
    }
    /* The avatar is the kind's icon, kept as a relative "url" image: the public URL may change
     * (a port chosen at start), the web root's path does not. */
    snprintf(out->image_type, sizeof(out->image_type), "url");
    /* Secrets stay out of the audit log: it says what was made, not how to post to it. */
    if (!(after = webhook_summary(out))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = webhook_audit_entry(ctx, who, "serviceConnector.create", out, NULL, after, &audit)))
        goto out;
    err = store_connector_insert(ctx->store, out, service_icon(k->kind),
                                 strlen(service_icon(k->kind)), text, &audit, 1);
out:
    org_audit_entry_free(&audit);
    json_decref(after);
    free(text);
    json_decref(settings);
    return err;
}

static sb_err load_settings(struct sb_ctx *ctx, const char *id, json_t **out)
{
    char *text = NULL;
    sb_err err = store_connector_settings(ctx->store, id, &text);

    *out = NULL;
    if (err)
        return err;
    *out = json_loads(text ? text : "{}", 0, NULL);
    free(text);
    if (*out && !json_is_object(*out)) {
        json_decref(*out);
        *out = NULL;
    }
    return *out ? SB_OK : SB_ERR_IO;
}

sb_err service_update(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_connector *c, json_t *body, const char *name, bool *changed,
                      struct sb_diag *diag)
{
    const struct kind *k = find_kind(c->kind);
    struct sb_connector renamed = *c;
    struct sb_audit audits[2] = {{0}, {0}};
    json_t *settings = NULL, *flag = NULL, *before = NULL, *after = NULL;
    size_t naudits = 0;
    char *text = NULL;
    sb_err err;

    *changed = false;
    if (!k)
        return SB_ERR_INVALID;
    err = load_settings(ctx, c->id, &settings);
    if (!err)
        err = apply(ctx, k, body, settings, false, changed, diag);
    if (err || !*changed)
        goto out;
    if ((err = sb_json_dump(settings, &text)))
        goto out;
    /* The settings hold the secret: the log records that they changed, not what to. */
    if (!(flag = json_pack("{s:s,s:b}", "kind", c->kind, "settingsChanged", 1))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = webhook_audit_entry(ctx, who, "serviceConnector.settings", c, NULL, flag,
                                   &audits[naudits])))
        goto out;
    naudits++;
    if (name) {
        snprintf(renamed.name, sizeof(renamed.name), "%s", name);
        if (!(before = webhook_summary(c)) || !(after = webhook_summary(&renamed))) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        if ((err = webhook_audit_entry(ctx, who, "connector.update", c, before, after,
                                       &audits[naudits])))
            goto out;
        naudits++;
    }
    err = store_connector_set_settings(ctx->store, c->id, name, text, audits, naudits);
out:
    for (size_t i = 0; i < 2; i++)
        org_audit_entry_free(&audits[i]);
    json_decref(flag);
    json_decref(before);
    json_decref(after);
    free(text);
    json_decref(settings);
    return err;
}

sb_err service_url(const struct sb_ctx *ctx, const struct sb_connector *c, char *url, size_t cap)
{
    struct webhook_url u;

    memset(&u, 0, sizeof(u));
    u.kind = WEBHOOK_URL_SERVICE;
    snprintf(u.service, sizeof(u.service), "%s", c->kind);
    memcpy(u.config_id, c->id, sizeof(u.config_id));
    webhook_url_sign(ctx->webhook_key, c->url_nonce, &u);
    return webhook_url_format(ctx->cfg->public_url, &u, url, cap);
}

sb_err service_render(struct sb_ctx *ctx, const struct sb_connector *c, json_t *o)
{
    char url[WEBHOOK_URL_MAX];
    json_t *settings = NULL;
    sb_err err = service_url(ctx, c, url, sizeof(url));

    if (!err)
        err = load_settings(ctx, c->id, &settings);
    if (err)
        return err;
    if (json_object_set_new(o, "url", json_string(url)) != 0 ||
        json_object_set_new(o, "settings", settings) != 0)
        return SB_ERR_NOMEM;
    return SB_OK;
}
