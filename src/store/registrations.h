/*
 * store/registrations.h: connectors registered in the Connector Developer Dashboard
 * (registrations.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_REGISTRATIONS_H
#define SB_STORE_REGISTRATIONS_H

#include "core/sb.h"
#include "model/registrations.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;
struct store_app_write;

/* The bytes stored with a registration: the colour logo, the outline icon, the app package. */
struct store_registration_blobs {
    const void *logo, *outline, *package;
    size_t logo_len, outline_len, package_len;
};

enum store_registration_blob { STORE_REG_LOGO, STORE_REG_OUTLINE, STORE_REG_PACKAGE };

/* Stores the registration and publishes its package (app: store_app_put's write) in one
 * transaction, with the audit entries (app->audit, audit; either may be NULL): never a
 * registration without its catalog entry or the other way round. r->catalog_id is set to the
 * entry's id. */
sb_err store_registration_insert(struct store *st, struct sb_registration *r,
                                 const struct store_registration_blobs *b,
                                 const struct store_app_write *app, const struct sb_audit *audit);
/* Replaces everything but the ids, creator and creation time, if the stored version still is
 * old_version: SB_ERR_CONFLICT when another change came first, SB_ERR_NOT_FOUND when gone.
 * The new package is published (app) in the same transaction, so the catalog always carries
 * the stored version; r->catalog_id is set to the entry's id (a new one when an administrator
 * had removed the entry). */
sb_err store_registration_update(struct store *st, struct sb_registration *r,
                                 const char *old_version, const struct store_registration_blobs *b,
                                 const struct store_app_write *app, const struct sb_audit *audit);
/* One registration by id into out (heap fields: store_registration_free, also after an error,
 * when out holds none). */
sb_err store_registration_get(struct store *st, const char *id, struct sb_registration *out);
/* Those created by created_by, or all when it is NULL; oldest first
 * (store_registration_free_array). */
sb_err store_registration_list(struct store *st, const char *created_by,
                               struct sb_registration **out, size_t *n);
/* Releases what r owns (not r itself) and leaves its heap fields NULL; NULL does nothing. */
void store_registration_free(struct sb_registration *r);
void store_registration_free_array(struct sb_registration *rs, size_t n);
/* Removes the registration and its catalog entry catalog_id in one transaction, with audit
 * and, when the entry was still there, app_audit (either may be NULL). SB_ERR_NOT_FOUND (and
 * nothing changed) when the registration is gone. */
sb_err store_registration_delete(struct store *st, const char *id, const char *catalog_id,
                                 const struct sb_audit *app_audit, const struct sb_audit *audit);
/* One stored blob (heap; caller frees). */
sb_err store_registration_blob(struct store *st, const char *id, enum store_registration_blob which,
                               void **data, size_t *len);

#endif
