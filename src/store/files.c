/*
 * files.c: the modes of the files a SQLite store keeps on disk.
 *
 * The database holds the installation's secrets (the webhook HMAC key, the RSA private keys of
 * the token signing keys, service connector secrets), so it is readable by its owner only:
 * every database file Switchboard creates is made 0600 before SQLite opens it, whatever the
 * umask. SQLite gives the -wal, -shm and -journal files it creates the mode of the database
 * file, so they follow. The data directory is 0700. Files made by an older version (0644 under
 * the usual umask 022) are repaired at start by store_files_repair, with one warning per path.
 */
#include "store/internal.h"

#include "core/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FILE_MODE 0600
#define DIR_MODE 0700

sb_err store_file_create_private(const char *path, bool *created)
{
    int fd;

    if (created)
        *created = false;
    /* O_EXCL: an existing file is left as it is (store_files_repair deals with its mode), and a
     * symlink planted under the name is not followed. */
    fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, FILE_MODE);
    if (fd < 0)
        return errno == EEXIST ? SB_OK : SB_ERR_IO;
    /* The umask may have taken bits away from FILE_MODE (never added any): set it exactly. */
    if (fchmod(fd, FILE_MODE) != 0) {
        close(fd);
        unlink(path);
        return SB_ERR_IO;
    }
    close(fd);
    if (created)
        *created = true;
    return SB_OK;
}

/* Sets path's permission bits to want when they differ; warns naming the path. Only regular
 * files and directories are touched, never through a symlink. */
static void repair(const char *path, mode_t want, bool dir)
{
    struct stat sb;

    if (lstat(path, &sb) != 0)
        return;
    if (dir ? !S_ISDIR(sb.st_mode) : !S_ISREG(sb.st_mode))
        return;
    if ((sb.st_mode & 07777) == want)
        return;
    if (chmod(path, want) != 0) {
        sb_log_warn("%s has mode %04o and cannot be changed to %04o: %s", path,
                    (unsigned)(sb.st_mode & 07777), (unsigned)want, strerror(errno));
        return;
    }
    sb_log_warn("%s had mode %04o; changed to %04o (the database holds the installation's keys)",
                path, (unsigned)(sb.st_mode & 07777), (unsigned)want);
}

void store_files_repair(const char *data_dir, const char *db_file)
{
    static const char *const sidecars[] = {"", "-wal", "-shm", "-journal"};
    char path[4200];
    struct dirent *e;
    DIR *d;

    if (data_dir && data_dir[0]) {
        repair(data_dir, DIR_MODE, true);
        if ((d = opendir(data_dir)) != NULL) {
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.' &&
                    (!e->d_name[1] || (e->d_name[1] == '.' && !e->d_name[2])))
                    continue;
                if (snprintf(path, sizeof(path), "%s/%s", data_dir, e->d_name) >= (int)sizeof(path))
                    continue;
                repair(path, FILE_MODE, false);
            }
            closedir(d);
        }
    }
    /* --db may put the database outside the data directory: its files are repaired there (a
     * file already seen above is left alone the second time, its mode being right). */
    for (size_t i = 0; db_file && i < sizeof(sidecars) / sizeof(sidecars[0]); i++) {
        if (snprintf(path, sizeof(path), "%s%s", db_file, sidecars[i]) >= (int)sizeof(path))
            continue;
        repair(path, FILE_MODE, false);
    }
}
