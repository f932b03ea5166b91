/*
 * apps_publication.h: a validated app publication ready to be written, for the connectors
 * module's own writers (apps.c publishes it alone, registration.c with a registration in one
 * transaction). It carries the store's write input, so it stays out of apps.h, which handlers
 * include.
 */
#ifndef SB_APPS_PUBLICATION_H
#define SB_APPS_PUBLICATION_H

#include "connectors/apps.h"
#include "store/apps.h"
#include "model/audit.h"

struct package_info;

/* A validated publication, ready to be written (store_app_put, or with another change in one
 * transaction: store_registration_insert/update). w points into the structure: keep it where
 * apps_prepare filled it. */
struct apps_publication {
    struct sb_app app;
    struct package_info *info; /* the package's facts; the icon bytes w refers to */
    struct sb_audit audit;     /* "app.publish" / "app.upload", target set when written */
    struct store_app_write w;
};

/* Checks policy (custom apps allowed), size and package rules and fills *pub; zip must stay
 * valid until the write. team_id NULL: the organisation catalog. */
sb_err apps_prepare(struct sb_ctx *ctx, const struct sb_principal *who, const void *zip, size_t len,
                    const char *team_id, struct apps_publication *pub, struct sb_diag *diag);
void apps_publication_free(struct apps_publication *pub);

#endif
