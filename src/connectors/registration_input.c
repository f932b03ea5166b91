/*
 * registration_input.c: the registration's input rules (see registration.h and
 * registration_input.h): each field of the API's JSON object checked, and the configuration
 * page's host added to validDomains. Nothing here writes.
 */
#include "connectors/registration_input.h"

#include "connectors/configs.h"
#include "connectors/package.h"
#include "net/url.h"
#include "org/org.h"

#include "core/utf8.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)
#define DATA_URL "data:image/png;base64,"

void registration_draft_free(struct draft *d)
{
    if (!d)
        return;
    free(d->logo);
    free(d->outline);
    registration_free(&d->r);
    free(d);
}

/* Replaces the heap string *dst with a copy of s. */
static sb_err set_text(char **dst, const char *s)
{
    char *copy = strdup(s);

    if (!copy)
        return SB_ERR_NOMEM;
    free(*dst);
    *dst = copy;
    return SB_OK;
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

/* A text field of 1..max characters, not blank; single-line ones allow no control characters,
 * the others allow line breaks and tabs. Absent keeps *out (NULL). */
static sb_err text_value(json_t *body, const char *key, size_t max, bool single_line, size_t cap,
                         const char **out, struct sb_diag *diag)
{
    json_t *v = json_object_get(body, key);
    const char *s;
    bool blank = true;

    *out = NULL;
    if (!v)
        return SB_OK;
    if (!json_is_string(v))
        return BAD("%s must be a string", key);
    s = json_string_value(v);
    if (json_string_length(v) != strlen(s))
        return BAD("%s must not contain NUL characters", key);
    if (sb_utf8_chars(s) > max || strlen(s) >= cap)
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
    *out = s;
    return SB_OK;
}

/* text_value into a fixed array of cap bytes. */
static sb_err text_field(json_t *body, const char *key, size_t max, bool single_line, char *dst,
                         size_t cap, struct sb_diag *diag)
{
    const char *s;
    sb_err err = text_value(body, key, max, single_line, cap, &s, diag);

    if (!err && s)
        snprintf(dst, cap, "%s", s);
    return err;
}

/* text_value into a heap string. */
static sb_err text_heap(json_t *body, const char *key, size_t max, bool single_line, char **dst,
                        size_t cap, struct sb_diag *diag)
{
    const char *s;
    sb_err err = text_value(body, key, max, single_line, cap, &s, diag);

    return !err && s ? set_text(dst, s) : err;
}

static sb_err https_field(json_t *body, const char *key, bool nullable, char **dst, size_t cap,
                          struct sb_diag *diag)
{
    json_t *v = json_object_get(body, key);

    if (!v)
        return SB_OK;
    if (nullable && (json_is_null(v) || (json_is_string(v) && !json_string_value(v)[0]))) {
        return set_text(dst, "");
    }
    if (!json_is_string(v) || json_string_length(v) >= cap ||
        !package_https_url(json_string_value(v)))
        return BAD("%s must be an https URL", key);
    return set_text(dst, json_string_value(v));
}

static sb_err configuration_field(struct sb_ctx *ctx, json_t *body, char **dst, size_t cap,
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
    return set_text(dst, s);
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

static sb_err domains_field(json_t *body, char **dst, size_t cap, struct sb_diag *diag)
{
    json_t *v = json_object_get(body, "validDomains"), *out, *d;
    char *text;
    size_t i;

    if (!v)
        return SB_OK;
    if (json_is_null(v))
        return set_text(dst, "[]");
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
    free(*dst);
    *dst = text;
    return SB_OK;
}

/* Adds the configuration page's host to validDomains unless an entry covers it: Teams loads
 * the page only from a valid domain. */
static sb_err cover_configuration_host(struct sb_registration *r, struct sb_diag *diag)
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
    if (strlen(text) >= SB_REG_DOMAINS_CAP) {
        err = BAD("validDomains is too long");
        free(text);
    } else {
        free(r->valid_domains);
        r->valid_domains = text;
    }
out:
    json_decref(arr);
    net_url_free(&u);
    return err;
}

sb_err registration_apply(struct sb_ctx *ctx, json_t *body, struct draft *d, struct sb_diag *diag)
{
    struct sb_registration *r = &d->r;
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
        (err = text_heap(body, "longDescription", 4000, false, &r->long_description,
                         SB_REG_LONG_DESCRIPTION_CAP, diag)) ||
        (err = https_field(body, "websiteUrl", false, &r->website_url, SB_REG_URL_CAP, diag)) ||
        (err = configuration_field(ctx, body, &r->configuration_url, SB_REG_URL_CAP, diag)) ||
        (err = domains_field(body, &r->valid_domains, SB_REG_DOMAINS_CAP, diag)) ||
        (err = https_field(body, "actionsUrl", true, &r->actions_url, SB_REG_URL_CAP, diag)))
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
    if (!r->long_description || !r->long_description[0])
        return BAD("longDescription is required (1 to 4000 characters)");
    if (!r->website_url || !r->website_url[0])
        return BAD("websiteUrl is required (an https URL)");
    if (!r->configuration_url || !r->configuration_url[0])
        return BAD("configurationUrl is required (an https URL)");
    if (r->actions_enabled && (!r->actions_url || !r->actions_url[0]))
        return BAD("actionsUrl is required when actionsEnabled is true (an https URL)");
    /* The record is complete: every heap field is a string ("" or "[]" when not given). */
    if ((!r->actions_url && (err = set_text(&r->actions_url, ""))) ||
        ((!r->valid_domains || !r->valid_domains[0]) && (err = set_text(&r->valid_domains, "[]"))))
        return err;
    if (!d->outline && (err = default_outline(d)))
        return err;
    return cover_configuration_host(r, diag);
}
