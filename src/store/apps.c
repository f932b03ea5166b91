/*
 * apps.c: uploaded app packages, in the organisation catalog or uploaded to one team.
 */
#include "store/internal.h"

#include <stdlib.h>
#include <string.h>

#define APP_COLS                                                                                   \
    "id, external_id, COALESCE(team_id, ''), version, display_name, description, developer, "      \
    "connector_id, configuration_url, valid_domains, created_by, created_at, updated_at"

static void read_app(struct db *d, struct db_stmt *s, void *elem)
{
    struct store_app *a = elem;

    db_col_copy(d, s, 0, a->id, sizeof(a->id));
    db_col_copy(d, s, 1, a->external_id, sizeof(a->external_id));
    db_col_copy(d, s, 2, a->team_id, sizeof(a->team_id));
    db_col_copy(d, s, 3, a->version, sizeof(a->version));
    db_col_copy(d, s, 4, a->display_name, sizeof(a->display_name));
    db_col_copy(d, s, 5, a->description, sizeof(a->description));
    db_col_copy(d, s, 6, a->developer, sizeof(a->developer));
    db_col_copy(d, s, 7, a->connector_id, sizeof(a->connector_id));
    db_col_copy(d, s, 8, a->configuration_url, sizeof(a->configuration_url));
    db_col_copy(d, s, 9, a->valid_domains, sizeof(a->valid_domains));
    db_col_copy(d, s, 10, a->created_by, sizeof(a->created_by));
    db_col_copy(d, s, 11, a->created, sizeof(a->created));
    db_col_copy(d, s, 12, a->updated, sizeof(a->updated));
}

struct app_put {
    struct store_app *app;
    const void *icon, *package;
    size_t icon_len, package_len;
};

static sb_err app_put_fn(struct db *d, void *arg)
{
    struct app_put *ap = arg;
    struct store_app *a = ap->app;
    const char *team = a->team_id[0] ? a->team_id : NULL;
    struct db_stmt *s = NULL;
    sb_err err;
    int rc;

    err = db_query(d,
                   "SELECT id, created_at FROM apps WHERE external_id = ? "
                   "AND COALESCE(team_id, '') = ?",
                   &s, "ss", a->external_id, a->team_id);
    if (err)
        return err;
    rc = db_step(d, s);
    if (rc == DB_ROW) {
        db_col_copy(d, s, 0, a->id, sizeof(a->id));
        db_col_copy(d, s, 1, a->created, sizeof(a->created));
    }
    db_done(d, s);
    if (rc == DB_ROW)
        return db_run_one(d,
                          "UPDATE apps SET version = ?, display_name = ?, description = ?, "
                          "developer = ?, connector_id = ?, configuration_url = ?, "
                          "valid_domains = ?, icon = ?, package = ?, updated_at = ? WHERE id = ?",
                          "sssssssBBss", a->version, a->display_name, a->description, a->developer,
                          a->connector_id, a->configuration_url, a->valid_domains, ap->icon,
                          ap->icon_len, ap->package, ap->package_len, a->updated, a->id);
    if (rc != DB_DONE)
        return (sb_err)rc;
    return db_run(d, NULL,
                  "INSERT INTO apps (id, external_id, team_id, version, display_name, description, "
                  "developer, connector_id, configuration_url, valid_domains, icon, package, "
                  "created_by, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "ssssssssssBBsss", a->id, a->external_id, team, a->version, a->display_name,
                  a->description, a->developer, a->connector_id, a->configuration_url,
                  a->valid_domains, ap->icon, ap->icon_len, ap->package, ap->package_len,
                  a->created_by, a->created, a->updated);
}

sb_err store_app_put(struct store *st, struct store_app *app, const void *icon, size_t icon_len,
                     const void *package, size_t package_len)
{
    struct app_put ap = {app, icon, package, icon_len, package_len};
    return store_write(st, app_put_fn, &ap);
}

sb_err store_app_get(struct store *st, const char *id, struct store_app *out)
{
    return store_select_one(st, "SELECT " APP_COLS " FROM apps WHERE id = ?", read_app, out, "s",
                            id);
}

sb_err store_app_list(struct store *st, const char *team_id, struct store_app **out, size_t *n)
{
    return store_select_all(st,
                            "SELECT " APP_COLS " FROM apps WHERE team_id IS NULL OR team_id = ? "
                            "ORDER BY created_at, id",
                            read_app, NULL, sizeof(**out), (void **)out, n, "s",
                            team_id ? team_id : "");
}

sb_err store_app_by_connector(struct store *st, const char *team_id, const char *connector_id,
                              struct store_app *out)
{
    return store_select_one(st,
                            "SELECT " APP_COLS " FROM apps WHERE connector_id = ? AND "
                            "(team_id IS NULL OR team_id = ?) ORDER BY team_id IS NULL LIMIT 1",
                            read_app, out, "ss", connector_id, team_id);
}

static sb_err app_delete_fn(struct db *d, void *arg)
{
    return db_run_one(d, "DELETE FROM apps WHERE id = ?", "s", (const char *)arg);
}

sb_err store_app_delete(struct store *st, const char *id)
{
    return store_write(st, app_delete_fn, (void *)id);
}

struct icon_row {
    void **data;
    size_t *len;
    sb_err err;
};

static void read_icon(struct db *d, struct db_stmt *s, void *elem)
{
    struct icon_row *r = elem;
    size_t n = 0;
    const void *p = d->drv->col_blob(s, 0, &n);

    if (!p || !n) {
        r->err = SB_ERR_NOT_FOUND;
        return;
    }
    *r->data = malloc(n);
    if (!*r->data) {
        r->err = SB_ERR_NOMEM;
        return;
    }
    memcpy(*r->data, p, n);
    *r->len = n;
}

sb_err store_app_icon(struct store *st, const char *id, void **data, size_t *len)
{
    struct icon_row r = {data, len, SB_OK};
    sb_err err;

    *data = NULL;
    *len = 0;
    err = store_select_one(st, "SELECT icon FROM apps WHERE id = ?", read_icon, &r, "s", id);
    return err ? err : r.err;
}
