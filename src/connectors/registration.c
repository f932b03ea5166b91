/*
 * registration.c: registering, changing and removing connectors in the Connector Developer
 * Dashboard, and their test card. Input rules are in registration.h.
 *
 * Every field is checked before anything is written. Each operation is one transaction
 * (issue 16): registering writes the catalog entry (apps_prepare: policy, validation, audit),
 * the registration and the audit entries together; a change writes the row only if nobody
 * changed it since it was read (SB_ERR_CONFLICT otherwise, nothing published) and publishes
 * the new package in the same transaction; removal takes the catalog entry with it.
 */
#include "connectors/registration.h"

#include "cards/cards.h"
#include "connectors/apps.h"
#include "connectors/configs.h"
#include "connectors/package.h"
#include "core/ids.h"
#include "net/url.h"
#include "org/org.h"
#include "teams/teams.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define DATA_URL "data:image/png;base64,"

/* A registration being built or changed, with its icons (heap). */
struct draft {
    struct store_registration r;
    unsigned char *logo, *outline;
    size_t logo_len, outline_len;
};

static void draft_free(struct draft *d)
{
    if (!d)
        return;
    free(d->logo);
    free(d->outline);
    free(d);
}

static const char *const known_fields[] = {
    "name",
    "logo",
    "outlineLogo",
    "shortDescription",
    "longDescription",
    "websiteUrl",
    "configurationUrl",
    "validDomains",
    "actionsEnabled",
    "actionsUrl",
};

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* A text field of 1..max characters, not blank; single-line ones allow no control characters,
 * the others allow line breaks and tabs. Absent keeps dst. */
static sb_err text_field(json_t *body, const char *key, size_t max, bool single_line, char *dst,
                         size_t cap, struct sb_diag *diag)
{
    json_t *v = json_object_get(body, key);
    const char *s;
    bool blank = true;

    if (!v)
        return SB_OK;
    if (!json_is_string(v))
        return BAD("%s must be a string", key);
    s = json_string_value(v);
    if (json_string_length(v) != strlen(s))
        return BAD("%s must not contain NUL characters", key);
    if (utf8_chars(s) > max || strlen(s) >= cap)
        return BAD("%s must be at most %zu characters", key, max);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p < 0x20 || *p == 0x7f) && (single_line || (*p != '\n' && *p != '\r' && *p != '\t')))
            return BAD("%s must not contain control characters%s", key,
                       single_line ? " (one line)" : "");
        if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t')
            blank = false;
    }
    if (blank)
        return BAD("%s is required (1 to %zu characters)", key, max);
    snprintf(dst, cap, "%s", s);
    return SB_OK;
}

static sb_err https_field(json_t *body, const char *key, bool nullable, char *dst, size_t cap,
                          struct sb_diag *diag)
{
    json_t *v = json_object_get(body, key);

    if (!v)
        return SB_OK;
    if (nullable && (json_is_null(v) || (json_is_string(v) && !json_string_value(v)[0]))) {
        dst[0] = '\0';
        return SB_OK;
    }
    if (!json_is_string(v) || json_string_length(v) >= cap ||
        !package_https_url(json_string_value(v)))
        return BAD("%s must be an https URL", key);
    snprintf(dst, cap, "%s", json_string_value(v));
    return SB_OK;
}

static sb_err configuration_field(struct sb_ctx *ctx, json_t *body, char *dst, size_t cap,
                                  struct sb_diag *diag)
{
    json_t *v = json_object_get(body, "configurationUrl");
    const char *s = json_string_value(v);
    struct net_url u;
    bool allowed = false;
    sb_err err = SB_OK;

    if (!v)
        return SB_OK;
    if (s && json_string_length(v) < cap && !package_https_url(s) && package_http_url(s)) {
        err = net_url_parse(s, 0, &u);
        if (!err)
            err = org_outbound_allowed(ctx, u.host, u.port, &allowed);
        net_url_free(&u);
        if (err && err != SB_ERR_INVALID)
            return err;
    }
    if (!s || json_string_length(v) >= cap || (!package_https_url(s) && !allowed))
        return BAD("configurationUrl must be an https URL (http only for a host listed in "
                   "outboundAllowedHosts)");
    snprintf(dst, cap, "%s", s);
    return SB_OK;
}

/* A PNG data URL of size x size pixels, decoded into *out (heap). Absent keeps *out. */
static sb_err png_field(json_t *body, const char *key, unsigned size, unsigned char **out,
                        size_t *out_len, struct sb_diag *diag)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    json_t *v = json_object_get(body, key);
    const char *s = json_string_value(v), *b64;
    unsigned char *buf;
    size_t b64_len, cap, len = 0;
    uint32_t w, h;

    if (!v)
        return SB_OK;
    if (!s || strncasecmp(s, DATA_URL, strlen(DATA_URL)) != 0)
        return BAD("%s must be a PNG image as a data URL (data:image/png;base64,...)", key);
    b64 = s + strlen(DATA_URL);
    b64_len = json_string_length(v) - strlen(DATA_URL);
    if (b64_len / 4 * 3 > REGISTRATION_LOGO_MAX)
        return BAD("%s must be at most %d KiB", key, REGISTRATION_LOGO_MAX / 1024);
    cap = b64_len / 4 * 3 + 3;
    if (!(buf = malloc(cap)))
        return SB_ERR_NOMEM;
    if (sodium_base642bin(buf, cap, b64, b64_len, " \r\n", &len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0) {
        free(buf);
        return BAD("%s is not valid base64", key);
    }
    if (len < 33 || memcmp(buf, sig, 8) != 0 || memcmp(buf + 12, "IHDR", 4) != 0) {
        free(buf);
        return BAD("%s must be a PNG image", key);
    }
    w = (uint32_t)buf[16] << 24 | (uint32_t)buf[17] << 16 | (uint32_t)buf[18] << 8 | buf[19];
    h = (uint32_t)buf[20] << 24 | (uint32_t)buf[21] << 16 | (uint32_t)buf[22] << 8 | buf[23];
    if (w != size || h != size) {
        free(buf);
        return BAD("%s must be %ux%u pixels, not %ux%u", key, size, size, (unsigned)w, (unsigned)h);
    }
    free(*out);
    *out = buf;
    *out_len = len;
    return SB_OK;
}

static sb_err default_outline(struct draft *d)
{
    const void *png;
    size_t len;

    registration_default_outline(&png, &len);
    free(d->outline);
    if (!(d->outline = malloc(len)))
        return SB_ERR_NOMEM;
    memcpy(d->outline, png, len);
    d->outline_len = len;
    return SB_OK;
}

static sb_err domains_field(json_t *body, char *dst, size_t cap, struct sb_diag *diag)
{
    json_t *v = json_object_get(body, "validDomains"), *out, *d;
    char *text;
    size_t i;

    if (!v)
        return SB_OK;
    if (json_is_null(v)) {
        snprintf(dst, cap, "[]");
        return SB_OK;
    }
    if (!json_is_array(v) || json_array_size(v) > PACKAGE_DOMAINS_MAX)
        return BAD("validDomains must be an array of at most %d host names", PACKAGE_DOMAINS_MAX);
    if (!(out = json_array()))
        return SB_ERR_NOMEM;
    json_array_foreach(v, i, d)
    {
        char lower[254];
        const char *s = json_string_value(d);
        bool dup = false;
        size_t j;
        json_t *e;

        if (!s || strlen(s) >= sizeof(lower) || !package_domain(s)) {
            json_decref(out);
            return BAD("validDomains[%zu] must be a host name or *.host (no scheme, port or path)",
                       i);
        }
        for (j = 0; s[j]; j++)
            lower[j] = (char)((s[j] >= 'A' && s[j] <= 'Z') ? s[j] + 32 : s[j]);
        lower[j] = '\0';
        json_array_foreach(out, j, e) dup = dup || strcmp(json_string_value(e), lower) == 0;
        if (!dup)
            json_array_append_new(out, json_string(lower));
    }
    text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    if (!text)
        return SB_ERR_NOMEM;
    if (strlen(text) >= cap) {
        free(text);
        return BAD("validDomains is too long");
    }
    snprintf(dst, cap, "%s", text);
    free(text);
    return SB_OK;
}

/* Adds the configuration page's host to validDomains unless an entry covers it: Teams loads
 * the page only from a valid domain. */
static sb_err cover_configuration_host(struct store_registration *r, struct sb_diag *diag)
{
    struct net_url u;
    char *text;
    json_t *arr = NULL, *e;
    size_t i;
    bool covered = false;
    sb_err err = net_url_parse(r->configuration_url, 0, &u);

    /* A URL that does not parse is refused by configuration_field: nothing to cover. */
    if (err)
        return err == SB_ERR_NOMEM ? err : SB_OK;
    /* IPv6 literals cannot be listed in validDomains; nor can what is no host name. */
    if (u.ipv6 || !package_domain(u.host))
        goto out;
    if (!(arr = json_loads(r->valid_domains, 0, NULL))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    json_array_foreach(arr, i, e)
    {
        const char *d = json_string_value(e);

        covered = covered || (d && net_url_domain_match(d, u.host, u.port));
    }
    if (!covered && json_array_size(arr) >= PACKAGE_DOMAINS_MAX) {
        err = BAD("validDomains must hold at most %d host names, the configuration page's "
                  "host included",
                  PACKAGE_DOMAINS_MAX);
        goto out;
    }
    if (!covered && json_array_append_new(arr, json_string(u.host)) != 0) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    text = json_dumps(arr, JSON_COMPACT);
    if (!text) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (strlen(text) >= sizeof(r->valid_domains))
        err = BAD("validDomains is too long");
    else
        snprintf(r->valid_domains, sizeof(r->valid_domains), "%s", text);
    free(text);
out:
    json_decref(arr);
    net_url_free(&u);
    return err;
}

/* Applies body to d (only the fields it names), then checks the whole. */
static sb_err apply(struct sb_ctx *ctx, json_t *body, struct draft *d, struct sb_diag *diag)
{
    struct store_registration *r = &d->r;
    const char *key;
    json_t *v;
    sb_err err;

    json_object_foreach(body, key, v)
    {
        bool known = false;

        for (size_t i = 0; i < sizeof(known_fields) / sizeof(known_fields[0]); i++)
            known = known || strcmp(key, known_fields[i]) == 0;
        if (!known)
            return BAD("unknown field '%.64s'", key);
    }
    if ((err = text_field(body, "name", 30, true, r->name, sizeof(r->name), diag)) ||
        (err = png_field(body, "logo", 192, &d->logo, &d->logo_len, diag)) ||
        (err = text_field(body, "shortDescription", 80, true, r->short_description,
                          sizeof(r->short_description), diag)) ||
        (err = text_field(body, "longDescription", 4000, false, r->long_description,
                          sizeof(r->long_description), diag)) ||
        (err = https_field(body, "websiteUrl", false, r->website_url, sizeof(r->website_url),
                           diag)) ||
        (err = configuration_field(ctx, body, r->configuration_url, sizeof(r->configuration_url),
                                   diag)) ||
        (err = domains_field(body, r->valid_domains, sizeof(r->valid_domains), diag)) ||
        (err = https_field(body, "actionsUrl", true, r->actions_url, sizeof(r->actions_url), diag)))
        return err;
    v = json_object_get(body, "outlineLogo");
    if (v && json_is_null(v))
        err = default_outline(d);
    else
        err = png_field(body, "outlineLogo", 32, &d->outline, &d->outline_len, diag);
    if (err)
        return err;
    v = json_object_get(body, "actionsEnabled");
    if (v && !json_is_boolean(v))
        return BAD("actionsEnabled must be true or false");
    if (v)
        r->actions_enabled = json_is_true(v);

    /* what a registration cannot do without */
    if (!r->name[0])
        return BAD("name is required (1 to 30 characters)");
    if (!d->logo)
        return BAD("logo is required: a 192x192 PNG image as a data URL");
    if (!r->short_description[0])
        return BAD("shortDescription is required (1 to 80 characters)");
    if (!r->long_description[0])
        return BAD("longDescription is required (1 to 4000 characters)");
    if (!r->website_url[0])
        return BAD("websiteUrl is required (an https URL)");
    if (!r->configuration_url[0])
        return BAD("configurationUrl is required (an https URL)");
    if (r->actions_enabled && !r->actions_url[0])
        return BAD("actionsUrl is required when actionsEnabled is true (an https URL)");
    if (!r->valid_domains[0])
        snprintf(r->valid_domains, sizeof(r->valid_domains), "[]");
    if (!d->outline && (err = default_outline(d)))
        return err;
    return cover_configuration_host(r, diag);
}

static json_t *summary(const struct store_registration *r)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "connectorId", r->id, "appId", r->app_id, "name",
                     r->name, "version", r->version, "configurationUrl", r->configuration_url,
                     "actionsEnabled", r->actions_enabled);
}

/* Generates d's package (*zip, heap) and prepares its publication to the organisation catalog
 * (policy, validation, audit entry), written later with the registration. */
static sb_err prepare_publication(struct sb_ctx *ctx, const struct sb_principal *who,
                                  struct draft *d, void **zip, size_t *len,
                                  struct apps_publication *pub, struct sb_diag *diag)
{
    sb_err err;

    err = registration_package_build(&d->r, d->logo, d->logo_len, d->outline, d->outline_len, zip,
                                     len);
    if (err)
        return err;
    err = apps_prepare(ctx, who, *zip, *len, NULL, pub, diag);
    if (err) {
        free(*zip);
        *zip = NULL;
    }
    return err;
}

/* The audit entry of a registration change (before/after may be NULL). */
static sb_err reg_audit(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                        const char *id, json_t *before, json_t *after, struct store_audit *out)
{
    return org_audit_entry(ctx, who->user_id, who->display_name, action, id, before, after, out);
}

static struct store_registration_blobs blobs_of(const struct draft *d, const void *zip, size_t len)
{
    struct store_registration_blobs b = {d->logo,     d->outline,     zip,
                                         d->logo_len, d->outline_len, len};
    return b;
}

sb_err registration_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                           struct store_registration *out, struct sb_diag *diag)
{
    struct draft *d = calloc(1, sizeof(*d));
    struct apps_publication *pub = calloc(1, sizeof(*pub));
    struct store_audit audit = {0};
    struct store_registration_blobs b;
    void *zip = NULL;
    size_t len = 0;
    json_t *after = NULL;
    sb_err err;

    if (!d || !pub) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = apply(ctx, body, d, diag)))
        goto out;
    sb_id_new(ctx, d->r.id);
    sb_id_new(ctx, d->r.app_id);
    snprintf(d->r.version, sizeof(d->r.version), "1.0.0");
    memcpy(d->r.created_by, who->user_id, sizeof(d->r.created_by));
    sb_time_now(ctx, d->r.created);
    memcpy(d->r.updated, d->r.created, sizeof(d->r.updated));
    if ((err = prepare_publication(ctx, who, d, &zip, &len, pub, diag)))
        goto out;
    if (!(after = summary(&d->r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = reg_audit(ctx, who, "connector.register", d->r.id, NULL, after, &audit)))
        goto out;
    /* The catalog entry, the registration and both audit entries: one transaction. */
    b = blobs_of(d, zip, len);
    if ((err = store_registration_insert(ctx->store, &d->r, &b, &pub->w, &audit)))
        goto out;
    *out = d->r;
out:
    json_decref(after);
    org_audit_entry_free(&audit);
    if (pub)
        apps_publication_free(pub);
    free(pub);
    free(zip);
    draft_free(d);
    return err;
}

static sb_err not_found(struct sb_diag *diag, const char *id)
{
    return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "connector registration '%.64s' not found",
                   id);
}

/* "a.b.c" -> "a.b.(c+1)" */
static void bump(char *version, size_t cap)
{
    unsigned long a = 1, b = 0, c = 0;

    if (sscanf(version, "%lu.%lu.%lu", &a, &b, &c) != 3 || c >= 999999999UL) {
        a = a < 999999999UL ? a + 1 : 1;
        b = c = 0;
    } else {
        c++;
    }
    snprintf(version, cap, "%lu.%lu.%lu", a, b, c);
}

static sb_err custom_apps_allowed(struct sb_ctx *ctx, struct sb_diag *diag)
{
    struct org_settings org;
    sb_err err = org_settings_get(ctx, &org);

    if (!err && !org.custom_apps_allowed)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "CustomAppsDisabled",
                      "custom connector apps are not available in this cloud environment "
                      "(GCC, GCCH and DoD do not allow them)");
    return err;
}

sb_err registration_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct store_registration *out, struct sb_diag *diag)
{
    struct draft *d = calloc(1, sizeof(*d));
    struct apps_publication *pub = calloc(1, sizeof(*pub));
    struct store_audit audit = {0};
    struct store_registration_blobs b;
    char old_version[sizeof(d->r.version)];
    json_t *before = NULL, *after = NULL;
    void *zip = NULL;
    size_t len = 0;
    sb_err err;

    if (!d || !pub) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = store_registration_get(ctx->store, id, &d->r);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (!err)
        err = store_registration_blob(ctx->store, id, STORE_REG_LOGO, (void **)&d->logo,
                                      &d->logo_len);
    if (!err)
        err = store_registration_blob(ctx->store, id, STORE_REG_OUTLINE, (void **)&d->outline,
                                      &d->outline_len);
    if (err == SB_ERR_NOT_FOUND && !diag->code[0])
        err = not_found(diag, id);
    if (err)
        goto out;
    memcpy(old_version, d->r.version, sizeof(old_version));
    before = summary(&d->r);
    if ((err = apply(ctx, body, d, diag)) || (err = custom_apps_allowed(ctx, diag)))
        goto out;
    bump(d->r.version, sizeof(d->r.version));
    sb_time_now(ctx, d->r.updated);
    if ((err = prepare_publication(ctx, who, d, &zip, &len, pub, diag)))
        goto out;
    if (!before || !(after = summary(&d->r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err =
             reg_audit(ctx, who, "connector.registration.update", d->r.id, before, after, &audit)))
        goto out;
    /* The conditional write decides between concurrent changes, and the winner's package is
     * published in the same transaction: the catalog always carries the stored version. */
    b = blobs_of(d, zip, len);
    err = store_registration_update(ctx->store, &d->r, old_version, &b, &pub->w, &audit);
    if (err == SB_ERR_CONFLICT)
        err = sb_fail(diag, err, "Conflict",
                      "the registration was changed meanwhile; load it again and retry");
    else if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (err)
        goto out;
    *out = d->r;
out:
    json_decref(before);
    json_decref(after);
    org_audit_entry_free(&audit);
    if (pub)
        apps_publication_free(pub);
    free(pub);
    free(zip);
    draft_free(d);
    return err;
}

sb_err registration_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           struct sb_diag *diag)
{
    struct store_registration *r = malloc(sizeof(*r));
    struct store_audit audit = {0}, app_audit = {0};
    struct store_app *app = malloc(sizeof(*app));
    json_t *before = NULL, *app_before = NULL;
    bool listed = false;
    sb_err err;

    if (!r || !app) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = store_registration_get(ctx->store, id, r);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (err)
        goto out;
    /* An administrator may have removed the catalog entry already. */
    err = store_app_get(ctx->store, r->catalog_id, app);
    if (err && err != SB_ERR_NOT_FOUND)
        goto out;
    listed = !err;
    if (listed && (!(app_before = apps_summary(app)) ||
                   (err = org_audit_entry(ctx, who->user_id, who->display_name, "app.delete",
                                          r->catalog_id, app_before, NULL, &app_audit)))) {
        err = err ? err : SB_ERR_NOMEM;
        goto out;
    }
    if (!(before = summary(r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = reg_audit(ctx, who, "connector.unregister", id, before, NULL, &audit)))
        goto out;
    /* The registration and its catalog entry go together. */
    err = store_registration_delete(ctx->store, id, r->catalog_id, listed ? &app_audit : NULL,
                                    &audit);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
out:
    json_decref(before);
    json_decref(app_before);
    org_audit_entry_free(&audit);
    org_audit_entry_free(&app_audit);
    free(app);
    free(r);
    return err;
}

static void new_attachment_id(void *arg, char out[37])
{
    sb_id_new(arg, out);
}

sb_err registration_test_card(struct sb_ctx *ctx, const struct sb_principal *who,
                              const struct store_registration *r, const char *team_id,
                              const char *channel_id, struct store_message *out,
                              struct sb_diag *diag)
{
    struct card_message card = {0};
    char title[200], *text = NULL, *action_body = NULL;
    sb_id correlation;
    json_t *j = NULL, *ab = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if ((err = custom_apps_allowed(ctx, diag)))
        return err;
    if (!r->actions_enabled || !r->actions_url[0])
        return BAD("this connector has no actions: set actionsEnabled and actionsUrl first");
    snprintf(title, sizeof(title), "Test card from %s", r->name);
    /* What an action execution sends as Card-Correlation-Id; "@id" names the action. */
    sb_id_new(ctx, correlation);
    ab = json_pack("{s:s,s:s,s:b}", "connectorId", r->id, "action", "test", "test", 1);
    action_body = ab ? json_dumps(ab, JSON_COMPACT) : NULL;
    if (action_body)
        j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
                      "s:[{s:s,s:s,s:[{s:s,s:s},{s:s,s:s}]}],"
                      "s:[{s:s,s:s,s:s,s:s,s:s,s:s}]}",
                      "@type", "MessageCard", "@context", "https://schema.org/extensions",
                      "correlationId", correlation, "themeColor", "464EB8", "summary", title,
                      "title", title, "text",
                      "This card was sent from the Connector Developer Dashboard. Its action "
                      "posts to the connector's actions URL.",
                      "sections", "activityTitle", r->name, "activitySubtitle",
                      "Connector Developer Dashboard", "facts", "name", "Connector id", "value",
                      r->id, "name", "Sent by", "value", who->display_name, "potentialAction",
                      "@type", "HttpPOST", "@id", "testAction", "name", "Run test action", "target",
                      r->actions_url, "body", action_body, "bodyContentType", "application/json");
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (!text) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = card_message_parse(text, strlen(text), "application/json", new_attachment_id, ctx, &card,
                             diag);
    if (err)
        goto out;
    sb_id_new(ctx, out->id);
    snprintf(out->team_id, sizeof(out->team_id), "%s", team_id);
    snprintf(out->channel_id, sizeof(out->channel_id), "%s", channel_id);
    sb_time_now(ctx, out->created);
    snprintf(out->from_kind, sizeof(out->from_kind), "application");
    memcpy(out->from_id, r->id, sizeof(out->from_id));
    snprintf(out->from_name, sizeof(out->from_name), "%s", r->name);
    snprintf(out->from_image, sizeof(out->from_image), "/v1.0/appCatalogs/teamsApps/%s/icon",
             r->catalog_id);
    snprintf(out->body_type, sizeof(out->body_type), "html");
    out->body = card.body;
    out->summary = card.summary;
    out->attachments = card.attachments;
    card.body = card.summary = card.attachments = NULL;
    err = store_message_append(ctx->store, out);
    if (err) {
        store_message_free(out);
        goto out;
    }
    teams_message_stored(ctx);
out:
    card_message_free(&card);
    free(text);
    free(action_body);
    json_decref(j);
    json_decref(ab);
    return err;
}
