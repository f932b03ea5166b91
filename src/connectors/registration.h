/*
 * registration.h: the self-hosted Connector Developer Dashboard. A registration describes a
 * connector (name, logo, descriptions, company website, configuration page, valid domains,
 * actions); registering it makes a new connector id and app id, generates an app package
 * (registration_package.c) that passes package_validate(), and publishes that package to the
 * organisation catalog through apps_publish() (so custom-app policy and its audit apply).
 * Every change republishes the package with a bumped version; removal retires the app.
 *
 * Input is the JSON object of the HTTP API (docs/connector-registration.md):
 *   name (1..30 characters), logo (data:image/png;base64 URL of a 192x192 PNG),
 *   outlineLogo (optional: a 32x32 PNG data URL; without it a generic white frame is used),
 *   shortDescription (1..80), longDescription (1..4000), websiteUrl (https),
 *   configurationUrl (https, or http for a host in outboundAllowedHosts),
 *   validDomains (optional: host names or *.host; the configuration page's host is added),
 *   actionsEnabled (optional boolean), actionsUrl (https; required when actionsEnabled).
 * Bad input is SB_ERR_INVALID with diag code "invalidRequest" and a message naming the field
 * and the rule; nothing is stored then.
 *
 * These functions do not check permissions: the handler has asked sb_can and checked that the
 * caller owns the registration (or is an administrator).
 */
#ifndef SB_REGISTRATION_H
#define SB_REGISTRATION_H

#include "auth/auth.h"
#include "model/messages.h"
#include "model/registrations.h"

#include <jansson.h>

#define REGISTRATION_LOGO_MAX (256 * 1024) /* bytes of one PNG, decoded */

/* Registers the connector body describes; *out (zeroed or freed before) gets the new record,
 * whose heap fields the caller releases with registration_free. */
sb_err registration_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                           struct sb_registration *out, struct sb_diag *diag);

/* Releases what a registration owns (not r itself), also one left partly filled by an error;
 * NULL does nothing. */
void registration_free(struct sb_registration *r);
/* Frees an array from registration_list_for. */
void registration_free_array(struct sb_registration *rs, size_t n);

/* Applies the fields body names to the registration id (the others stay), regenerates the
 * package with the next patch version and republishes it. SB_ERR_CONFLICT when another change
 * came first. *out as registration_create's (what it held is released first). */
sb_err registration_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct sb_registration *out, struct sb_diag *diag);

/* Removes the app from the organisation catalog and forgets the registration. */
sb_err registration_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           struct sb_diag *diag);

/* Posts a MessageCard with an HttpPOST action targeting r's actions URL into the channel, as the
 * connector (from.application with its name and icon), through the normal message path.
 * SB_ERR_INVALID when r has no actions, SB_ERR_FORBIDDEN when custom apps are not allowed. */
sb_err registration_test_card(struct sb_ctx *ctx, const struct sb_principal *who,
                              const struct sb_registration *r, const char *team_id,
                              const char *channel_id, struct sb_message *out, struct sb_diag *diag);

/* The app package of r with these icons: manifest.json (manifest version
 * REGISTRATION_MANIFEST_VERSION), color.png and outline.png. *zip is heap (caller frees). */
#define REGISTRATION_MANIFEST_VERSION "1.17"
sb_err registration_package_build(const struct sb_registration *r, const void *logo,
                                  size_t logo_len, const void *outline, size_t outline_len,
                                  void **zip, size_t *len);

/* The generic 32x32 outline icon used when none is uploaded. */
void registration_default_outline(const void **png, size_t *len);

#endif
