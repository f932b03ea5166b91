/*
 * sqlite_walbuf.c: a VFS over SQLite's default one whose only change is that writes to a WAL
 * file are gathered in memory and reach the file in large sequential pwrites, at the latest
 * when SQLite syncs, reads, sizes, truncates or closes that file.
 *
 * Why: SQLite writes each WAL frame as two pwrites (its 24-byte header, then the page), so a
 * group commit of ~30 posts (about 4 frames each) made ~250 write system calls before its one
 * fdatasync (strace, 2026-12-05). Gathered, it makes one per 124 KiB.
 *
 * Why it is safe: nothing reads a WAL frame before the commit that wrote it is synced. The
 * writer publishes a commit to other connections (the wal-index in shared memory) only after
 * xSync, which writes the buffer out first; its own reads of the WAL (a page spilled and read
 * back, the checkpoint) go through xRead, which does too. A write elsewhere than the end of
 * the buffer (WAL restart, a rewritten header) writes the buffer out first, so the file sees
 * the writes in their order. A failed write surfaces as the error of the call that flushed
 * (the sync of the COMMIT): the transaction then fails, as it would had the pwrite failed.
 * Every other file, and every other method, is SQLite's own.
 */
#include "store/sqlite_walbuf.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#define WALBUF_FLUSH_AT (1 << 20) /* bytes gathered before they are written anyway */

struct walbuf_file {
    sqlite3_file base;  /* our methods */
    sqlite3_file *real; /* the default VFS's file, allocated right after this struct */
    bool wal;
    char *buf;
    size_t len, cap;
    sqlite3_int64 at; /* file offset of buf[0] */
};

static sqlite3_vfs walbuf_vfs;
static sqlite3_io_methods walbuf_methods;
static pthread_once_t walbuf_once = PTHREAD_ONCE_INIT;
static int walbuf_rc = SQLITE_ERROR; /* set once by walbuf_init, read-only afterwards */

static sqlite3_vfs *real_vfs(void)
{
    return walbuf_vfs.pAppData;
}

/* The unix VFS writes at most 128 KiB - 1 per call (it masks the length with 0x1ffff, and a
 * length of exactly 128 KiB would be taken for a full disk): chunks stay below that. */
#define WALBUF_CHUNK 0x1f000

static int flush(struct walbuf_file *f)
{
    int rc = SQLITE_OK;

    for (size_t done = 0; rc == SQLITE_OK && done < f->len; done += WALBUF_CHUNK) {
        size_t n = f->len - done < WALBUF_CHUNK ? f->len - done : WALBUF_CHUNK;

        rc = f->real->pMethods->xWrite(f->real, f->buf + done, (int)n, f->at + (sqlite3_int64)done);
    }
    f->len = 0;
    return rc;
}

static int wb_close(sqlite3_file *p)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);
    int rc2 = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;

    free(f->buf);
    f->buf = NULL;
    f->cap = 0;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *p, void *out, int n, sqlite3_int64 off)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, n, off);
}

static int grow(struct walbuf_file *f, size_t need)
{
    size_t cap = f->cap ? f->cap : 65536;
    char *b;

    while (cap < need)
        cap *= 2;
    b = realloc(f->buf, cap);
    if (!b)
        return SQLITE_NOMEM;
    f->buf = b;
    f->cap = cap;
    return SQLITE_OK;
}

static int wb_write(sqlite3_file *p, const void *data, int n, sqlite3_int64 off)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc;

    if (!f->wal || n <= 0)
        return f->real->pMethods->xWrite(f->real, data, n, off);
    if (f->len && off != f->at + (sqlite3_int64)f->len && (rc = flush(f)) != SQLITE_OK)
        return rc;
    if (!f->len)
        f->at = off;
    if (f->len + (size_t)n > f->cap && grow(f, f->len + (size_t)n) != SQLITE_OK) {
        /* No memory for the buffer: write through, after what is gathered. */
        if ((rc = flush(f)) != SQLITE_OK)
            return rc;
        return f->real->pMethods->xWrite(f->real, data, n, off);
    }
    memcpy(f->buf + f->len, data, (size_t)n);
    f->len += (size_t)n;
    return f->len >= WALBUF_FLUSH_AT ? flush(f) : SQLITE_OK;
}

static int wb_truncate(sqlite3_file *p, sqlite3_int64 size)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wb_sync(sqlite3_file *p, int flags)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wb_file_size(sqlite3_file *p, sqlite3_int64 *size)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wb_lock(sqlite3_file *p, int level)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xLock(f->real, level);
}

static int wb_unlock(sqlite3_file *p, int level)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int wb_check_reserved(sqlite3_file *p, int *out)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int wb_file_control(sqlite3_file *p, int op, void *arg)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wb_sector_size(sqlite3_file *p)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xSectorSize(f->real);
}

static int wb_device_characteristics(sqlite3_file *p)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

static int wb_shm_map(sqlite3_file *p, int pg, int pgsz, int extend, void volatile **out)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xShmMap(f->real, pg, pgsz, extend, out);
}

static int wb_shm_lock(sqlite3_file *p, int offset, int n, int flags)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xShmLock(f->real, offset, n, flags);
}

static void wb_shm_barrier(sqlite3_file *p)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    f->real->pMethods->xShmBarrier(f->real);
}

static int wb_shm_unmap(sqlite3_file *p, int del)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xShmUnmap(f->real, del);
}

static int wb_fetch(sqlite3_file *p, sqlite3_int64 off, int n, void **out)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc = flush(f);

    return rc != SQLITE_OK ? rc : f->real->pMethods->xFetch(f->real, off, n, out);
}

static int wb_unfetch(sqlite3_file *p, sqlite3_int64 off, void *page)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    return f->real->pMethods->xUnfetch(f->real, off, page);
}

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *p, int flags, int *out_flags)
{
    struct walbuf_file *f = (struct walbuf_file *)p;
    int rc;

    (void)vfs;
    memset(f, 0, sizeof(*f));
    f->real = (sqlite3_file *)(f + 1);
    rc = real_vfs()->xOpen(real_vfs(), name, f->real, flags, out_flags);
    if (rc != SQLITE_OK || !f->real->pMethods) {
        /* SQLite calls xClose only when pMethods is set; the real file cleaned up itself. */
        f->base.pMethods = NULL;
        return rc;
    }
    f->wal = (flags & SQLITE_OPEN_WAL) != 0;
    f->base.pMethods = &walbuf_methods;
    return SQLITE_OK;
}

/* The rest of the VFS is the default one's. */
static int wb_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return real_vfs()->xDelete(real_vfs(), name, sync_dir);
}

static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return real_vfs()->xAccess(real_vfs(), name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return real_vfs()->xFullPathname(real_vfs(), name, n, out);
}

static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs()->xRandomness(real_vfs(), n, out);
}

static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return real_vfs()->xSleep(real_vfs(), us);
}

static int wb_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return real_vfs()->xCurrentTime(real_vfs(), out);
}

static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return real_vfs()->xGetLastError(real_vfs(), n, out);
}

static int wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    return real_vfs()->xCurrentTimeInt64(real_vfs(), out);
}

static void walbuf_init(void)
{
    sqlite3_vfs *real = sqlite3_vfs_find(NULL);

    /* The methods SQLite's unix VFS has (version 3 files: shared memory, memory maps). */
    if (!real || real->iVersion < 2 || !real->xCurrentTimeInt64)
        return;
    walbuf_methods = (sqlite3_io_methods){
        .iVersion = 3,
        .xClose = wb_close,
        .xRead = wb_read,
        .xWrite = wb_write,
        .xTruncate = wb_truncate,
        .xSync = wb_sync,
        .xFileSize = wb_file_size,
        .xLock = wb_lock,
        .xUnlock = wb_unlock,
        .xCheckReservedLock = wb_check_reserved,
        .xFileControl = wb_file_control,
        .xSectorSize = wb_sector_size,
        .xDeviceCharacteristics = wb_device_characteristics,
        .xShmMap = wb_shm_map,
        .xShmLock = wb_shm_lock,
        .xShmBarrier = wb_shm_barrier,
        .xShmUnmap = wb_shm_unmap,
        .xFetch = wb_fetch,
        .xUnfetch = wb_unfetch,
    };
    walbuf_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)sizeof(struct walbuf_file) + real->szOsFile,
        .mxPathname = real->mxPathname,
        .zName = STORE_SQLITE_WALBUF_VFS,
        .pAppData = real,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_full_pathname,
        .xDlOpen = real->xDlOpen,
        .xDlError = real->xDlError,
        .xDlSym = real->xDlSym,
        .xDlClose = real->xDlClose,
        .xRandomness = wb_randomness,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_current_time,
        .xGetLastError = wb_last_error,
        .xCurrentTimeInt64 = wb_current_time64,
    };
    walbuf_rc = sqlite3_vfs_register(&walbuf_vfs, 0);
}

bool store_sqlite_walbuf(void)
{
    pthread_once(&walbuf_once, walbuf_init);
    return walbuf_rc == SQLITE_OK;
}
