/*
 * store/apps.h: app packages: the organisation catalog (team_id "") and apps uploaded to a team
 * (apps.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_APPS_H
#define SB_STORE_APPS_H

#include "core/sb.h"
#include "model/apps.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;

/* A publication: the entry, its icon and package, and its audit entry (may be NULL; its
 * target is set to the entry's id, known only once written). */
struct store_app_write {
    struct sb_app *app;
    const void *icon, *package;
    size_t icon_len, package_len;
    struct sb_audit *audit;
};

/* Publishes w->app, or replaces the content of the app with the same external id in the same
 * scope (a new version keeps its id): app->id and app->created are set to the stored ones. The
 * entry and its audit entry are one transaction. */
sb_err store_app_put(struct store *st, const struct store_app_write *w);
/* One entry by id into out (heap fields: store_app_free, also after an error, when out holds
 * none). */
sb_err store_app_get(struct store *st, const char *id, struct sb_app *out);
/* Releases what a (not a itself) owns and leaves its heap fields NULL; NULL does nothing. */
void store_app_free(struct sb_app *a);
void store_app_free_array(struct sb_app *as, size_t n);
/* The organisation catalog, and with team_id also that team's uploaded apps; oldest first
 * (store_app_free_array). */
sb_err store_app_list(struct store *st, const char *team_id, struct sb_app **out, size_t *n);
/* The entry that provides connector_id to a channel of team_id (organisation or that team's);
 * out as store_app_get's. */
sb_err store_app_by_connector(struct store *st, const char *team_id, const char *connector_id,
                              struct sb_app *out);
/* Removes the entry and writes its audit entry (may be NULL) in one transaction. */
sb_err store_app_delete(struct store *st, const char *id, const struct sb_audit *audit);
/* Every app, organisation catalog first, with its team's name and live configurations
 * (store_app_usage_free_array); one of them by id (store_app_free(&out->app), also after an
 * error). */
sb_err store_app_usage_list(struct store *st, struct sb_app_usage **out, size_t *n);
sb_err store_app_usage_get(struct store *st, const char *id, struct sb_app_usage *out);
void store_app_usage_free_array(struct sb_app_usage *us, size_t n);
/* Blocks or allows the entry and writes its audit entry in one transaction; SB_ERR_NOT_FOUND
 * when there is no such entry. */
sb_err store_app_set_blocked(struct store *st, const char *id, bool blocked,
                             const struct sb_audit *audit);
/* Whether an entry with this manifest id is blocked, in any scope. */
sb_err store_app_external_blocked(struct store *st, const char *external_id, bool *blocked);
/* The colour icon (PNG bytes, heap). */
sb_err store_app_icon(struct store *st, const char *id, void **data, size_t *len);

#endif
