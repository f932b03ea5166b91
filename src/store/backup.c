/*
 * backup.c: online backup and offline restore of a SQLite store, with SQLite's backup API.
 *
 * Backup reads through a connection of its own, opened read-only on the store's file, so it
 * neither takes a reader from the server's pool nor queues behind the group-commit writer. The
 * copy is written under a temporary name beside the destination, turned into a self-contained
 * rollback-journal database, checked, fsynced and only then linked under its final name: a
 * file with that name is always a complete backup.
 *
 * Restore copies a backup into the installation's database through the backup API as well,
 * on a connection that first makes sure nothing else has the database open and then keeps it
 * locked until the copy is committed: replacing the file under a running server would leave it
 * writing into an unlinked inode (or into a -wal that no longer matches).
 *
 * Backups and restored databases are mode 0600, whatever the umask (they hold the keys).
 *
 * PostgreSQL has its own tools (pg_dump, pg_restore); see docs/postgres.md.
 */
#include "store/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* How long restore waits for another connection to let go before it says the database is in
 * use: long enough to ride out a checkpoint, short enough that a running server is refused
 * at once. */
#define RESTORE_BUSY_MS 250
/* A backup step that finds the source locked (a WAL recovery in progress) is retried this many
 * times, 50 ms apart. */
#define BACKUP_RETRIES 200

static const char *errtext(sqlite3 *db, int rc)
{
    return db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
}

static sb_err open_db(const char *file, int flags, sqlite3 **out, struct sb_diag *diag)
{
    int rc = sqlite3_open_v2(file, out, flags | SQLITE_OPEN_NOMUTEX, NULL);

    if (rc == SQLITE_OK) {
        sqlite3_extended_result_codes(*out, 1);
        return SB_OK;
    }
    return sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot open %s: %s", file,
                   errtext(*out, rc));
}

/* Runs one statement and reads the first column of its first row into out (cap bytes); ""
 * when it returns no row. Returns the SQLite result code. */
static int query_text(sqlite3 *db, const char *sql, char *out, size_t cap)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);

    out[0] = '\0';
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(s);
    if (rc == SQLITE_ROW) {
        const unsigned char *v = sqlite3_column_text(s, 0);
        snprintf(out, cap, "%s", v ? (const char *)v : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(s);
    return rc;
}

/* The newest schema version this binary knows: a backup from a newer version would be
 * "migrated" by nothing and then misread, so restore refuses it. */
static int64_t latest_migration(void)
{
    int64_t v = 0;

    for (size_t i = 0; i < store_migrations_sqlite_count; i++)
        if (store_migrations_sqlite[i].version > v)
            v = store_migrations_sqlite[i].version;
    return v;
}

/* Checks that db (opened on file) is an undamaged Switchboard database this binary can run. */
static sb_err check_switchboard(sqlite3 *db, const char *file, struct sb_diag *diag)
{
    char v[256];
    int64_t version;
    int rc;

    rc = query_text(db,
                    "SELECT COUNT(*) FROM sqlite_master "
                    "WHERE type = 'table' AND name = 'schema_migrations'",
                    v, sizeof(v));
    if ((rc & 0xff) == SQLITE_NOTADB)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup",
                       "%s is not a Switchboard backup: it is not a SQLite database", file);
    if ((rc & 0xff) == SQLITE_CORRUPT)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "%s is damaged: %s", file,
                       errtext(db, rc));
    if (rc != SQLITE_OK)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "cannot read %s: %s", file,
                       errtext(db, rc));
    if (strcmp(v, "1") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup",
                       "%s is not a Switchboard backup: a SQLite database without the "
                       "schema_migrations table",
                       file);
    rc = query_text(db, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", v, sizeof(v));
    if (rc != SQLITE_OK)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "cannot read %s: %s", file,
                       errtext(db, rc));
    version = strtoll(v, NULL, 10);
    if (version <= 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup",
                       "%s is not a Switchboard backup: no schema migration was ever applied",
                       file);
    if (version > latest_migration())
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup",
                       "%s comes from a newer Switchboard (schema version %lld; this one knows "
                       "up to %lld): restore it with that version",
                       file, (long long)version, (long long)latest_migration());
    /* quick_check reads every page: a truncated or damaged copy is caught here, not by the
     * server the first time it touches the broken page. */
    rc = query_text(db, "PRAGMA quick_check", v, sizeof(v));
    if (rc != SQLITE_OK)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "%s is damaged: %s", file,
                       errtext(db, rc));
    if (strcmp(v, "ok") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "%s is damaged: %s", file, v);
    return SB_OK;
}

/* Copies all of src into dst. One step of -1 pages copies everything inside one read
 * transaction on src: in WAL mode that snapshot does not hold writers up, whereas copying in
 * slices would restart from the first page each time the server commits in between, which under
 * steady webhook load could be forever. */
static sb_err copy_db(sqlite3 *dst, sqlite3 *src, const char *what, struct sb_diag *diag)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    int rc = SQLITE_OK;

    if (!b)
        return sb_fail(diag, SB_ERR_IO, "storeUnavailable", "%s: cannot start the copy: %s", what,
                       sqlite3_errmsg(dst));
    for (int tries = 0;; tries++) {
        rc = sqlite3_backup_step(b, -1);
        if (((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED) || tries >= BACKUP_RETRIES)
            break;
        sqlite3_sleep(50);
    }
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE)
        return sb_fail(diag, SB_ERR_IO, "storeUnavailable", "%s: copy failed: %s", what,
                       errtext(dst, rc));
    return SB_OK;
}

/* Makes file's data and its name durable (the directory entry is what a crash would lose). */
static sb_err sync_path(const char *file, bool dir_of, struct sb_diag *diag)
{
    char dir[4096];
    const char *target = file;
    int fd;
    sb_err err = SB_OK;

    if (dir_of) {
        const char *slash = strrchr(file, '/');
        if (!slash)
            snprintf(dir, sizeof(dir), ".");
        else if (slash == file)
            snprintf(dir, sizeof(dir), "/");
        else
            snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
        target = dir;
    }
    fd = open(target, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fsync(fd) != 0)
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot sync %s: %s", target,
                      strerror(errno));
    if (fd >= 0)
        close(fd);
    return err;
}

/* Removes a database file we created and whatever SQLite may have left beside it. */
static void remove_db_files(const char *file)
{
    static const char *const suffixes[] = {"", "-journal", "-wal", "-shm"};
    char name[4200];

    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(name, sizeof(name), "%s%s", file, suffixes[i]);
        unlink(name);
    }
}

sb_err store_backup(struct store *st, const char *path, struct sb_diag *diag)
{
    sqlite3 *src = NULL, *dst = NULL;
    char tmp[4200], mode[32];
    bool made = false;
    sb_err err = SB_OK;
    int rc;

    if (store_driver(st) != &db_sqlite)
        return sb_fail(diag, SB_ERR_INVALID, "unsupported",
                       "backup copies SQLite stores; for PostgreSQL use pg_dump");
    if (strlen(path) > 4000)
        return sb_fail(diag, SB_ERR_INVALID, "invalidPath", "the backup path is too long");
    /* Never overwrite: the path could name the live database itself, or the last good backup. */
    if (access(path, F_OK) == 0)
        return sb_fail(diag, SB_ERR_CONFLICT, "backupExists",
                       "%s already exists; a backup is written to a new file", path);
    snprintf(tmp, sizeof(tmp), "%s.%ld.partial", path, (long)getpid());

    err = open_db(store_target(st), SQLITE_OPEN_READONLY, &src, diag);
    if (err)
        goto out;
    sqlite3_busy_timeout(src, 10000);
    remove_db_files(tmp); /* only a leftover of this same pid can be there */
    made = true;
    /* 0600 whatever the umask: the backup holds the same secrets as the database. link() and
     * rename() keep the mode, and SQLite's -journal beside it takes it too. */
    if (store_file_create_private(tmp, NULL) != SB_OK) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot create %s: %s", tmp,
                      strerror(errno));
        goto out;
    }
    err = open_db(tmp, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, diag);
    if (err)
        goto out;
    err = copy_db(dst, src, "backup", diag);
    if (err)
        goto out;
    /* The copy carries the source's WAL flag in its header; a backup should be one file that
     * can be copied around alone, so it becomes a rollback-journal database. */
    rc = query_text(dst, "PRAGMA journal_mode=DELETE", mode, sizeof(mode));
    if (rc != SQLITE_OK || strcmp(mode, "delete") != 0) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot finish %s: %s", tmp,
                      rc != SQLITE_OK ? errtext(dst, rc) : mode);
        goto out;
    }
    err = check_switchboard(dst, tmp, diag);
    if (err)
        goto out;
    rc = sqlite3_close(dst);
    dst = NULL;
    if (rc != SQLITE_OK) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot close %s: %s", tmp,
                      sqlite3_errstr(rc));
        goto out;
    }
    err = sync_path(tmp, false, diag);
    if (err)
        goto out;
    /* link() fails if path appeared meanwhile, where rename() would silently replace it. */
    if (link(tmp, path) != 0) {
        if (errno == EEXIST) {
            err = sb_fail(diag, SB_ERR_CONFLICT, "backupExists",
                          "%s already exists; a backup is written to a new file", path);
            goto out;
        }
        /* File systems without hard links: the existence check above has to do. */
        if (rename(tmp, path) != 0) {
            err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot create %s: %s", path,
                          strerror(errno));
            goto out;
        }
    }
    err = sync_path(path, true, diag);
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    if (made)
        remove_db_files(tmp);
    return err;
}

sb_err store_restore(const char *url, const char *path, struct sb_diag *diag)
{
    sqlite3 *src = NULL, *dst = NULL;
    const char *target;
    struct stat sb;
    char mode[32];
    sb_err err = SB_OK;
    int rc;

    if (strncmp(url, "sqlite:", 7) != 0)
        return sb_fail(diag, SB_ERR_INVALID, "unsupported",
                       "restore replaces SQLite stores; for PostgreSQL use pg_restore");
    target = url + 7;
    if (stat(path, &sb) != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "cannot read %s: %s", path,
                       strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return sb_fail(diag, SB_ERR_INVALID, "invalidBackup", "%s is not a regular file", path);

    err = open_db(path, SQLITE_OPEN_READONLY, &src, diag);
    if (err)
        goto out;
    err = check_switchboard(src, path, diag);
    if (err)
        goto out;

    /* The restored database is 0600 like every database Switchboard makes: created so when
     * missing; an existing one is set so once it is ours to replace (below). */
    if (store_file_create_private(target, NULL) != SB_OK) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot create %s: %s", target,
                      strerror(errno));
        goto out;
    }
    err = open_db(target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &dst, diag);
    if (err)
        goto out;
    sqlite3_busy_timeout(dst, RESTORE_BUSY_MS);
    /* In WAL mode every open connection keeps a shared lock on the database, idle or not, so
     * leaving WAL mode succeeds only when no other connection (a server, switchboard admin) has
     * the file open. Exclusive locking mode then keeps the lock taken by BEGIN EXCLUSIVE until
     * we close, so no server can start on the database while it is being replaced. */
    rc = sqlite3_exec(dst, "PRAGMA locking_mode=EXCLUSIVE", NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = query_text(dst, "PRAGMA journal_mode=DELETE", mode, sizeof(mode));
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(dst, "BEGIN EXCLUSIVE; COMMIT", NULL, NULL, NULL);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED) {
        err = sb_fail(diag, SB_ERR_CONFLICT, "databaseInUse",
                      "the database %s is in use (is a server running on it?): stop the "
                      "server, then restore",
                      target);
        goto out;
    }
    if (rc != SQLITE_OK) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable",
                      "cannot lock the database %s: %s (move it away, then restore)", target,
                      errtext(dst, rc));
        goto out;
    }
    if (chmod(target, 0600) != 0) {
        err = sb_fail(diag, SB_ERR_IO, "storeUnavailable", "cannot set the mode of %s: %s", target,
                      strerror(errno));
        goto out;
    }
    /* The copy is one transaction on dst: interrupted, the journal rolls it back and the old
     * database stays as it was. */
    err = copy_db(dst, src, "restore", diag);
    if (err)
        goto out;
    err = check_switchboard(dst, target, diag);
out:
    sqlite3_close(dst);
    sqlite3_close(src);
    return err;
}
