/*
 * webhooks.c: creating webhooks, their URLs and the URL update.
 */
#include "webhooks/webhooks.h"

#include "core/config.h"
#include "core/ids.h"
#include "net/url.h"
#include "org/org.h"
#include "store/connectors.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct image_type {
    const char *mime;
    const unsigned char *magic;
    size_t magic_len;
};

/* SVG is not accepted: it can carry script. The bytes must match the declared type. */
static const struct image_type image_types[] = {
    {"image/png", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8},
    {"image/jpeg", (const unsigned char *)"\xff\xd8\xff", 3},
    {"image/gif", (const unsigned char *)"GIF8", 4},
    {"image/webp", (const unsigned char *)"RIFF", 4},
};

/* A webhook key (url_nonce, store.h): 128 random bits as 32 lower-case hex digits. */
static void new_nonce(const struct sb_ctx *ctx, char out[33])
{
    unsigned char raw[16];

    sb_random(ctx, raw, sizeof(raw));
    sb_hex(raw, sizeof(raw), out);
}

/* Decodes "data:<mime>;base64,<data>" into *bytes (heap) and sets the MIME type. */
static sb_err decode_data_url(const char *url, char *type, size_t type_cap, unsigned char **bytes,
                              size_t *len, struct sb_diag *diag)
{
    const char *comma = strchr(url, ','), *semi = strchr(url, ';');
    const struct image_type *it = NULL;
    size_t mime_len, b64_len, cap;
    unsigned char *buf;

    if (!comma || !semi || semi > comma || strncmp(semi, ";base64,", 8) != 0)
        return sb_fail(
            diag, SB_ERR_INVALID, "invalidRequest",
            "image must be a base64 data URL (data:image/png;base64,...) or an https URL");
    mime_len = (size_t)(semi - (url + 5));
    for (size_t i = 0; i < sizeof(image_types) / sizeof(image_types[0]); i++)
        if (strlen(image_types[i].mime) == mime_len &&
            strncasecmp(url + 5, image_types[i].mime, mime_len) == 0)
            it = &image_types[i];
    if (!it)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "image must be PNG, JPEG, GIF or WebP");
    b64_len = strlen(comma + 1);
    cap = b64_len / 4 * 3 + 3;
    if (cap > WEBHOOK_IMAGE_MAX + 3)
        return sb_fail(diag, SB_ERR_TOO_LARGE, "RequestEntityTooLarge",
                       "image is too large (at most %d bytes)", WEBHOOK_IMAGE_MAX);
    buf = malloc(cap);
    if (!buf)
        return SB_ERR_NOMEM;
    if (sodium_base642bin(buf, cap, comma + 1, b64_len, " \r\n", len, NULL,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        *len == 0) {
        free(buf);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "image is not valid base64");
    }
    if (*len > WEBHOOK_IMAGE_MAX || *len < it->magic_len ||
        memcmp(buf, it->magic, it->magic_len) != 0) {
        free(buf);
        return *len > WEBHOOK_IMAGE_MAX
                   ? sb_fail(diag, SB_ERR_TOO_LARGE, "RequestEntityTooLarge",
                             "image is too large (at most %d bytes)", WEBHOOK_IMAGE_MAX)
                   : sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "image data is not a %s file",
                             it->mime);
    }
    snprintf(type, type_cap, "%s", it->mime);
    *bytes = buf;
    return SB_OK;
}

/* An https URL with a host (net_url_parse); the image URL is later sent as a Location header
 * and shown in pages, so quotes and angle brackets are refused as well. */
static bool https_url_ok(const char *url)
{
    struct net_url u;
    bool ok;

    if (strlen(url) > WEBHOOK_URL_MAX || strpbrk(url, "\"<>"))
        return false;
    ok = net_url_parse(url, 0, &u) == SB_OK && net_url_is_https(&u);
    net_url_free(&u);
    return ok;
}

sb_err webhook_create(struct sb_ctx *ctx, const struct sb_principal *who,
                      const struct sb_channel *ch, const char *name, const char *image,
                      const char *app_type, struct sb_connector *out, struct sb_diag *diag)
{
    unsigned char *bytes = NULL;
    struct sb_audit audit = {0};
    const void *img = NULL;
    size_t img_len = 0;
    json_t *after = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (app_type && strcmp(app_type, "teams") != 0 && strcmp(app_type, "groups") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "appType must be \"teams\" or \"groups\"");
    snprintf(out->app_type, sizeof(out->app_type), "%s", app_type ? app_type : "teams");
    if (!name[0] || strlen(name) > SB_NAME_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "name must be 1 to %d bytes",
                       SB_NAME_MAX);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "name must not contain control characters");
    if (image && strncmp(image, "data:", 5) == 0) {
        err = decode_data_url(image, out->image_type, sizeof(out->image_type), &bytes, &img_len,
                              diag);
        if (err)
            return err;
        img = bytes;
    } else if (image) {
        if (!https_url_ok(image))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "image must be a data URL or an https URL of at most %d bytes",
                           WEBHOOK_URL_MAX);
        snprintf(out->image_type, sizeof(out->image_type), "url");
        img = image;
        img_len = strlen(image);
    }
    err = webhook_config_init(ctx, who, ch, WEBHOOK_KIND, WEBHOOK_CONNECTOR_ID, name, out);
    if (!err && !(after = webhook_summary(out)))
        err = SB_ERR_NOMEM;
    if (!err)
        err = webhook_audit_entry(ctx, who, "webhook.create", out, NULL, after, &audit);
    if (!err)
        err = store_connector_insert(ctx->store, out, img, img_len, NULL, &audit, 1);
    org_audit_entry_free(&audit);
    json_decref(after);
    free(bytes);
    return err;
}

json_t *webhook_summary(const struct sb_connector *c)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "name", c->name, "kind", c->kind, "teamId", c->team_id,
                     "channelId", c->channel_id);
}

sb_err webhook_audit_entry(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                           const struct sb_connector *c, json_t *before, json_t *after,
                           struct sb_audit *out)
{
    return org_audit_entry(ctx, who->user_id, who->display_name, action, c->id, before, after, out);
}

sb_err webhook_config_init(struct sb_ctx *ctx, const struct sb_principal *who,
                           const struct sb_channel *ch, const char *kind, const char *connector_id,
                           const char *name, struct sb_connector *out)
{
    struct org_settings org;
    sb_err err = org_settings_get(ctx, &org);

    if (err)
        return err;
    sb_id_new(ctx, out->id);
    snprintf(out->kind, sizeof(out->kind), "%s", kind);
    snprintf(out->connector_id, sizeof(out->connector_id), "%s", connector_id);
    memcpy(out->team_id, ch->team_id, sizeof(out->team_id));
    memcpy(out->channel_id, ch->id, sizeof(out->channel_id));
    snprintf(out->name, sizeof(out->name), "%s", name);
    memcpy(out->created_by, who->user_id, sizeof(out->created_by));
    sb_time_now(ctx, out->created);
    snprintf(out->url_format, sizeof(out->url_format), "%s",
             org.webhook_url_legacy ? "legacy" : "v2");
    new_nonce(ctx, out->url_nonce);
    return SB_OK;
}

bool webhook_attention_required(const struct sb_connector *c)
{
    return strcmp(c->url_format, "legacy") == 0;
}

sb_err webhook_urls(const struct sb_ctx *ctx, const struct sb_connector *c, char *url,
                    char *workflow_url, size_t cap)
{
    struct webhook_url u;
    sb_err err;

    memset(&u, 0, sizeof(u));
    u.kind = webhook_attention_required(c) ? WEBHOOK_URL_LEGACY : WEBHOOK_URL_V2;
    memcpy(u.team_id, c->team_id, sizeof(u.team_id));
    memcpy(u.tenant_id, ctx->tenant_id, sizeof(u.tenant_id));
    memcpy(u.config_id, c->id, sizeof(u.config_id));
    snprintf(u.key, sizeof(u.key), "%s", c->url_nonce);
    memcpy(u.creator_id, c->created_by, sizeof(u.creator_id));
    webhook_url_sign(ctx->webhook_key, c->url_nonce, &u);
    err = webhook_url_format(ctx->cfg->public_url, &u, url, cap);
    if (err)
        return err;
    /* The workflow shape routes by the configuration id, as Power Automate's trigger URLs. */
    u.key[0] = '\0';
    u.kind = WEBHOOK_URL_WORKFLOW;
    webhook_url_sign(ctx->webhook_key, c->url_nonce, &u);
    return webhook_url_format(ctx->cfg->public_url, &u, workflow_url, cap);
}

sb_err webhook_update_url(struct sb_ctx *ctx, struct sb_connector *c, const struct sb_audit *audit,
                          struct sb_diag *diag)
{
    char nonce[33];
    sb_err err;

    new_nonce(ctx, nonce);
    err = store_connector_set_url(ctx->store, c->id, "v2", nonce, audit, audit ? 1 : 0);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "webhook '%s' not found", c->id);
    if (err)
        return err;
    snprintf(c->url_format, sizeof(c->url_format), "v2");
    memcpy(c->url_nonce, nonce, sizeof(c->url_nonce));
    return SB_OK;
}
