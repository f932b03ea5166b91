/*
 * migrate.c: brings a database's schema up to date at store_open, on the writer connection
 * before the writer thread starts: the pending migrations of the driver's directory
 * (store/migrations/<driver>/NNN_name.sql, embedded at build time), all in one transaction
 * that also takes the driver's migration lock, so two processes starting at once on an empty
 * database do not both create the schema. A migration is pending when schema_migrations does
 * not record it, whatever later ones it records: one missing from a database (restored by hand,
 * or from a branch that added it later) is applied, in order.
 */
#include "store/internal.h"

#include "core/log.h"

sb_err store_migrate(const struct db_driver *drv, struct db_conn *writer,
                     const struct store_migration *m, size_t count, struct sb_diag *diag)
{
    struct db d = {drv, writer, NULL, NULL, false, NULL, false, false, NULL};
    sb_err err;

    /* schema_migrations is created inside the locked transaction: two processes starting at
     * once on an empty PostgreSQL database would otherwise race on the CREATE itself. */
    err = drv->exec(writer, drv->begin_sql);
    if (!err && drv->migrate_lock_sql)
        err = drv->exec(writer, drv->migrate_lock_sql);
    if (err) {
        sb_fail(diag, err, "storeUnavailable", "cannot lock the database for migration: %s",
                drv->errmsg(writer));
        goto out;
    }
    err = drv->exec(writer, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                            "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                            "applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)");
    if (err) {
        sb_fail(diag, err, "storeUnavailable", "cannot create schema_migrations: %s",
                drv->errmsg(writer));
        goto out;
    }
    for (size_t i = 0; i < count; i++) {
        struct db_stmt *s = NULL;
        bool applied = false;

        err = db_query(&d, SQL_MIGRATION_APPLIED, &s, DB_ARGS(db_int((int64_t)m[i].version)));
        if (!err)
            err = db_step(&d, s, &applied);
        db_done(&d, s);
        if (err)
            goto out;
        if (applied)
            continue;
        err = drv->exec(writer, m[i].sql);
        if (err) {
            sb_fail(diag, err, "storeUnavailable", "migration %03d_%s failed: %s", m[i].version,
                    m[i].name, drv->errmsg(writer));
            goto out;
        }
        err = db_run(&d, NULL, SQL_MIGRATION_RECORD,
                     DB_ARGS(db_int((int64_t)m[i].version), db_text(m[i].name)));
        if (err)
            goto out;
        sb_log_info("applied migration %03d_%s", m[i].version, m[i].name);
    }
    err = drv->exec(writer, "COMMIT");
out:
    if (err) {
        drv->exec(writer, "ROLLBACK");
        if (diag && !diag->message[0])
            sb_fail(diag, err, "storeUnavailable", "migration failed: %s", drv->errmsg(writer));
    }
    return err;
}
