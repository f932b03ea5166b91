/*
 * catalog.h: what can be added to a channel. The built-in Incoming Webhook, and the connectors
 * Microsoft retired (shipped as data from the Teams admin documentation, "Manage Microsoft 365
 * connectors and custom connectors"): they are listed as retired and cannot get new
 * configurations. Connector apps uploaded to the organisation or a team join the catalog with
 * the connector-apps work.
 */
#ifndef SB_CATALOG_H
#define SB_CATALOG_H

#include "auth/auth.h"
#include "core/sb.h"

#include <jansson.h>
#include <stdbool.h>

struct catalog_entry {
    sb_id connector_id;
    const char *name;
    const char *description;
    const char *section; /* "builtin", "organization" or "uploaded" */
    const char *icon;    /* path of the icon under the public URL, NULL when none */
    const char *kind;    /* the configuration kind it creates, NULL for retired entries */
    bool retired;
};

size_t catalog_builtin_count(void);
/* The i-th built-in entry (0 <= i < catalog_builtin_count()). */
void catalog_builtin(size_t i, struct catalog_entry *out);
/* Finds a built-in or retired entry by connector id; false when unknown. */
bool catalog_find(const char *connector_id, struct catalog_entry *out);

/* What who can add to channel_id (CHANNEL_READ): {value:[entries], tenantId}, the built-in
 * entries (retired ones marked), then the organisation's connector apps and the team's uploaded
 * ones; empty with disabledReason when policy turns connectors off for who there
 * (catalog_list.c). */
sb_err catalog_for_channel(struct sb_ctx *ctx, const struct sb_principal *who,
                           const char *channel_id, json_t **out, struct sb_diag *diag);

#endif
