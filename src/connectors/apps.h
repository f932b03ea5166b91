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
#include "store/store.h"

#define APPS_PACKAGE_MAX (1024 * 1024)

/* team_id NULL: the organisation catalog. */
sb_err apps_publish(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct store_app *out, bool *updated,
                    struct sb_diag *diag);

sb_err apps_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_diag *diag);

#endif
