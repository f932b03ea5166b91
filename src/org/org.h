/*
 * org.h: organisation settings. Each setting is stored only when an administrator set it
 * explicitly; otherwise its effective value is its default. Settings are described by a table
 * (org.c) so that adding one means adding a row.
 *
 * Webhook URL settings:
 *   webhookUrlFormat        "v2" (signed, the default) or "legacy": the shape new webhooks get.
 *   legacyWebhookUrlCutoff  RFC 3339 time after which legacy URLs are refused (unset: accepted).
 */
#ifndef SB_ORG_H
#define SB_ORG_H

#include "core/sb.h"

#include <jansson.h>
#include <stdbool.h>

struct org_settings {
    bool webhook_url_legacy;  /* new webhooks get legacy URLs */
    int64_t legacy_cutoff_ms; /* 0 = no cutoff */
};

sb_err org_settings_get(struct sb_ctx *ctx, struct org_settings *out);

/* The organisation resource: effective values, tenantId, and `explicitSettings` (the names
 * an administrator set). */
sb_err org_settings_render(struct sb_ctx *ctx, json_t **out);

/* Applies a PATCH body: known names only; a value of null returns a setting to its default.
 * Validates everything before changing anything. */
sb_err org_settings_patch(struct sb_ctx *ctx, json_t *patch, struct sb_diag *diag);

#endif
