/*
 * services.c: service connector configurations (kinds, settings, URLs) and the check of what a
 * service posts (its signature or token) before the payload becomes a card.
 */
#include "services/services.h"

#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"
#include "org/org.h"
#include "services/internal.h"
#include "services/template.h"
#include "webhooks/webhooks.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
                      const struct store_channel *ch, json_t *body, struct store_connector *out,
                      struct sb_diag *diag)
{
    const char *kind = NULL, *name = NULL;
    const struct kind *k;
    json_t *settings = json_object(), *after = NULL;
    struct store_audit audit = {0};
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
                      const struct store_connector *c, json_t *body, const char *name,
                      bool *changed, struct sb_diag *diag)
{
    const struct kind *k = find_kind(c->kind);
    struct store_connector renamed = *c;
    struct store_audit audits[2] = {{0}, {0}};
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

sb_err service_url(const struct sb_ctx *ctx, const struct store_connector *c, char *url, size_t cap)
{
    struct webhook_url u;

    memset(&u, 0, sizeof(u));
    u.kind = WEBHOOK_URL_SERVICE;
    snprintf(u.service, sizeof(u.service), "%s", c->kind);
    memcpy(u.config_id, c->id, sizeof(u.config_id));
    webhook_url_sign(ctx->webhook_key, c->url_nonce, &u);
    return webhook_url_format(ctx->cfg->public_url, &u, url, cap);
}

sb_err service_render(struct sb_ctx *ctx, const struct store_connector *c, json_t *o)
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

/* ---- checking a post ---- */

/* X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the raw body under the secret. */
static bool github_signed(const char *secret, const char *header, const char *body, size_t len)
{
    unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t got_len = 0;

    if (!header || strncmp(header, "sha256=", 7) != 0 || strlen(header + 7) != 2 * sizeof(got) ||
        sodium_hex2bin(got, sizeof(got), header + 7, 2 * sizeof(got), NULL, &got_len, NULL) != 0 ||
        got_len != sizeof(got))
        return false;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, want);
    return sodium_memcmp(want, got, sizeof(want)) == 0;
}

/* Compares hashes of both so that the time taken says nothing about the secret, length
 * included. */
static bool token_equal(const char *secret, const char *token)
{
    unsigned char a[32], b[32];

    if (!token)
        return false;
    crypto_generichash(a, sizeof(a), (const unsigned char *)secret, strlen(secret), NULL, 0);
    crypto_generichash(b, sizeof(b), (const unsigned char *)token, strlen(token), NULL, 0);
    return sodium_memcmp(a, b, sizeof(a)) == 0;
}

/* GitHub's default content type: the JSON is the form field "payload" (the signature covers
 * the encoded body). Returns the decoded JSON text (heap) or NULL when body is not that. */
static char *form_payload(const char *content_type, const char *body, size_t len)
{
    static const char ct[] = "application/x-www-form-urlencoded";
    char *out, *w;

    if (!content_type || strncasecmp(content_type, ct, sizeof(ct) - 1) != 0 || len < 8 ||
        memcmp(body, "payload=", 8) != 0)
        return NULL;
    out = malloc(len);
    if (!out)
        return NULL;
    w = out;
    for (size_t i = 8; i < len && body[i] != '&'; i++) {
        if (body[i] == '+') {
            *w++ = ' ';
        } else if (body[i] == '%' && i + 2 < len && isxdigit((unsigned char)body[i + 1]) &&
                   isxdigit((unsigned char)body[i + 2])) {
            char hex[3] = {body[i + 1], body[i + 2], '\0'};
            *w++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *w++ = body[i];
        }
    }
    *w = '\0';
    return out;
}

static void template_post(const json_t *settings, const json_t *payload, struct svc_result *r)
{
    struct sb_diag diag = {{0}, {0}};
    json_t *card = NULL;

    if (service_template_card(json_object_get(settings, "template"), payload, &card, &diag)) {
        svc_refuse(r, 400, "The template could not be applied: %s", diag.message);
        return;
    }
    r->card = json_dumps(card, JSON_COMPACT);
    json_decref(card);
    if (!r->card)
        svc_refuse(r, 500, "The card could not be built.");
    else
        r->outcome = SERVICE_POST;
}

enum service_outcome service_card(const struct store_connector *c, const char *settings_text,
                                  const struct service_headers *h, const char *body, size_t len,
                                  char **card, int *status, char *why, size_t why_cap)
{
    struct svc_result r;
    json_t *settings = json_loads(settings_text ? settings_text : "{}", 0, NULL), *payload = NULL;
    char *form;
    const char *secret = json_string_value(json_object_get(settings, "secret"));

    memset(&r, 0, sizeof(r));
    *card = NULL;
    if (!json_is_object(settings)) {
        svc_refuse(&r, 500, "The configuration's settings cannot be read.");
        goto out;
    }
    if (strcmp(c->kind, "github") == 0 &&
        (!secret || !github_signed(secret, h->signature, body, len))) {
        svc_refuse(&r, 401,
                   h->signature ? "X-Hub-Signature-256 does not match the body and this "
                                  "configuration's secret."
                                : "X-Hub-Signature-256 is required: set the secret shown in the "
                                  "connector's configuration in GitHub's webhook settings.");
        goto out;
    }
    if (strcmp(c->kind, "gitlab") == 0 && (!secret || !token_equal(secret, h->token))) {
        svc_refuse(&r, 401,
                   h->token ? "X-Gitlab-Token does not match this configuration's "
                              "secret token."
                            : "X-Gitlab-Token is required: set the secret token shown "
                              "in the connector's configuration in GitLab.");
        goto out;
    }
    if ((strcmp(c->kind, "github") == 0 || strcmp(c->kind, "gitlab") == 0) &&
        (!h->event || !*h->event)) {
        svc_refuse(&r, 400, "The event header (%s) is required.",
                   strcmp(c->kind, "github") == 0 ? "X-GitHub-Event" : "X-Gitlab-Event");
        goto out;
    }
    form = form_payload(h->content_type, body, len);
    payload = form ? json_loads(form, 0, NULL) : json_loadb(body, len, 0, NULL);
    free(form);
    if (!json_is_object(payload)) {
        svc_refuse(&r, 400, "The body must be a JSON object.");
        goto out;
    }
    if (strcmp(c->kind, "github") == 0)
        svc_github(settings, h->event, payload, &r);
    else if (strcmp(c->kind, "gitlab") == 0)
        svc_gitlab(settings, h->event, payload, &r);
    else if (strcmp(c->kind, "alertmanager") == 0)
        svc_alertmanager(payload, &r);
    else
        template_post(settings, payload, &r);
out:
    json_decref(payload);
    json_decref(settings);
    *status = r.status;
    snprintf(why, why_cap, "%s", r.why);
    *card = r.card;
    return r.outcome;
}

enum webhook_transform_outcome service_transform(void *arg, const struct store_connector *c,
                                                 const char *body, size_t len, char **card,
                                                 int *status, char *why, size_t why_cap)
{
    struct service_request *req = arg;
    char *settings = NULL;

    *card = NULL;
    if (store_connector_settings(req->ctx->store, c->id, &settings) != SB_OK) {
        *status = 503;
        snprintf(why, why_cap, "The configuration could not be read; retry later.");
        return WEBHOOK_TRANSFORM_REFUSE;
    }
    switch (service_card(c, settings, &req->headers, body, len, card, status, why, why_cap)) {
    case SERVICE_POST:
        free(settings);
        return WEBHOOK_TRANSFORM_POST;
    case SERVICE_IGNORE:
        free(settings);
        return WEBHOOK_TRANSFORM_IGNORE;
    default:
        free(settings);
        return WEBHOOK_TRANSFORM_REFUSE;
    }
}

/* ---- the template connector's card ---- */

/* Colour words people write in templates, mapped to the card colours; hex passes through. */
static const char *color_of(const char *s)
{
    static const struct {
        const char *word, *hex;
    } words[] = {
        {"good", COLOR_SUCCESS},     {"green", COLOR_SUCCESS},   {"success", COLOR_SUCCESS},
        {"resolved", COLOR_SUCCESS}, {"ok", COLOR_SUCCESS},      {"danger", COLOR_FAILURE},
        {"red", COLOR_FAILURE},      {"failure", COLOR_FAILURE}, {"failed", COLOR_FAILURE},
        {"error", COLOR_FAILURE},    {"firing", COLOR_FAILURE},  {"critical", COLOR_FAILURE},
        {"warning", COLOR_WARNING},  {"yellow", COLOR_WARNING},  {"info", COLOR_INFO},
        {"blue", COLOR_INFO},
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasecmp(words[i].word, s) == 0)
            return words[i].hex;
    return s;
}

/* The simple form {title, text, summary, themeColor, facts, links} as a MessageCard. */
static sb_err simple_card(const json_t *t, json_t **out)
{
    const json_t *facts = json_object_get(t, "facts"), *links = json_object_get(t, "links"), *v;
    const char *title = svc_str(t, "title"), *key;
    struct svc_card c;
    json_t *sec = NULL;
    char *text = NULL;
    size_t i;

    svc_card_init(&c,
                  *title                   ? title
                  : *svc_str(t, "summary") ? svc_str(t, "summary")
                                           : svc_str(t, "text"),
                  color_of(svc_str(t, "themeColor")));
    if (!*title)
        json_object_del(c.root, "title");
    if (*svc_str(t, "summary"))
        json_object_set_new(c.root, "summary", json_string(svc_str(t, "summary")));
    svc_card_text(&c, svc_str(t, "text"));
    if (json_object_size(facts) || json_array_size(facts))
        sec = svc_card_section(&c, NULL, NULL);
    if (json_is_object(facts)) {
        json_object_foreach((json_t *)facts, key, v)
        {
            svc_fact(&c, sec, key, json_string_value(v));
        }
    } else {
        json_array_foreach(facts, i, v)
        {
            svc_fact(&c, sec, svc_str(v, "name"), svc_str(v, "value"));
        }
    }
    json_array_foreach(links, i, v)
    {
        svc_link(&c, NULL, *svc_str(v, "name") ? svc_str(v, "name") : "Open", svc_str(v, "url"));
    }
    if (*svc_str(t, "link"))
        svc_link(&c, NULL, *svc_str(t, "linkName") ? svc_str(t, "linkName") : "Open",
                 svc_str(t, "link"));
    if (svc_card_finish(&c, &text) != SB_OK)
        return SB_ERR_NOMEM;
    *out = json_loads(text, 0, NULL);
    free(text);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

sb_err service_template_card(const json_t *tmpl, const json_t *sample, json_t **card,
                             struct sb_diag *diag)
{
    json_t *rendered = NULL, *inner;
    sb_err err;

    *card = NULL;
    if (!json_is_object(tmpl))
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate", "template must be an object");
    err = template_render(tmpl, sample, &rendered, diag);
    if (err)
        return err;
    inner = json_object_get(rendered, "card");
    if (json_is_object(inner) && strcmp(svc_str(inner, "type"), "AdaptiveCard") == 0) {
        /* An Adaptive Card goes in the message envelope webhooks accept. */
        *card = json_pack("{s:s,s:[{s:s,s:O}]}", "type", "message", "attachments", "contentType",
                          "application/vnd.microsoft.card.adaptive", "content", inner);
        err = *card ? SB_OK : SB_ERR_NOMEM;
    } else if (json_is_object(inner)) {
        *card = json_incref(inner);
    } else {
        err = simple_card(rendered, card);
    }
    json_decref(rendered);
    return err;
}
