/*
 * apps.h: publishing app packages (manifest + icons, validated by package.h) to the
 * organisation catalog or uploading them to one team ("Uploaded" in the connectors dialog).
 *
 * Custom apps are refused where the cloud environment does not allow them (GCC, GCCH, DoD).
 * A package whose manifest id is already in the same scope replaces it (a new version).
 * Every publication and removal is audited.
 */
#ifndef SB_APPS_H
#define SB_APPS_H

#include "auth/auth.h"
#include "model/apps.h"

#include <jansson.h>

#define APPS_PACKAGE_MAX (1024 * 1024)

/* Releases what an entry owns (not a itself), also one left partly filled by an error; NULL
 * does nothing. */
void apps_free(struct sb_app *a);
/* Frees an array from apps_list. */
void apps_free_array(struct sb_app *as, size_t n);

/* apps_prepare, then the write. team_id NULL: the organisation catalog (administrators);
 * otherwise that team's "Uploaded" section (SB_ACT_CONNECTOR_CREATE on the team). *out (zeroed or
 * freed before) gets the entry; its heap fields are the caller's (apps_free). */
sb_err apps_publish(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct sb_app *out, bool *updated, struct sb_diag *diag);

/* What the audit log records of an entry: {externalId, displayName, version, connectorId?,
 * teamId?}. */
json_t *apps_summary(const struct sb_app *a);

/* Removes an organisation catalog entry (administrators). */
sb_err apps_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_diag *diag);

/* Reads for handlers; each asks sb_can. An app uploaded to a team is seen by those who read
 * the team, an organisation app by everyone signed in. */
/* The organisation's apps and team_id's uploaded ones (team_id NULL: every app); heap array
 * (apps_free_array). apps_find's out: apps_free, on success and on error. */
sb_err apps_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                 struct sb_app **out, size_t *n, struct sb_diag *diag);
sb_err apps_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                 struct sb_app *out, struct sb_diag *diag);
/* The administrator's list of every app (organisation catalog and uploaded to teams), blocked
 * or not, with what blocking leaves running (apps_usage_free_array). Administrators only. */
sb_err apps_admin_list(struct sb_ctx *ctx, const struct sb_principal *who,
                       struct sb_app_usage **out, size_t *n, struct sb_diag *diag);
void apps_usage_free_array(struct sb_app_usage *us, size_t n);
/* Blocks (blocked true) or allows an app (administrators; audited "app.block"/"app.allow"). A
 * blocked app leaves every connectors dialog, gets no new configuration and cannot be uploaded
 * to a team; the configurations it has keep posting. *out gets the entry as it is now
 * (apps_free(&out->app), on success and on error). */
sb_err apps_set_blocked(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                        bool blocked, struct sb_app_usage *out, struct sb_diag *diag);
/* The app's PNG icon (heap: free()). */
sb_err apps_icon(struct sb_ctx *ctx, const struct sb_principal *who, const char *id, void **data,
                 size_t *len, struct sb_diag *diag);

#endif
