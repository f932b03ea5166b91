/*
 * package_zip.c: the zip half of package_validate() (see package_zip.h): the archive's size,
 * its raw central directory and entry list (names, kinds, declared sizes, duplicates), and
 * reading an entry with byte counting.
 */
#include "connectors/package_zip.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

void package_invalid(struct sb_diag *diag, const char *fmt, ...)
{
    char msg[sizeof(diag->message)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sb_fail(diag, SB_ERR_INVALID, PACKAGE_CODE, "%s", msg);
}

const char *package_printable(const char *name, char buf[72])
{
    size_t i = 0;

    for (; i < 64 && name[i]; i++)
        buf[i] = (name[i] > 0x20 && name[i] < 0x7f) ? name[i] : '?';
    if (name[i]) {
        memcpy(buf + i, "...", 3);
        i += 3;
    }
    buf[i] = '\0';
    return buf;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t le16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* libzip hands names out as C strings, so a NUL inside a name would go unseen: look at the raw
 * central directory (found through the end-of-central-directory record) for them. */
static sb_err check_raw_names(const unsigned char *p, size_t len, struct sb_diag *diag)
{
    size_t eocd = SIZE_MAX;

    for (size_t i = len - 22 + 1; i-- > 0;) {
        if (le32(p + i) == 0x06054b50) {
            eocd = i;
            break;
        }
        if (len - i > 22 + 65535)
            break;
    }
    if (eocd == SIZE_MAX)
        return FAIL("the package is not a zip archive (no end of central directory)");
    uint16_t count = le16(p + eocd + 10);
    uint32_t cd_size = le32(p + eocd + 12), cd_off = le32(p + eocd + 16);

    if (count == 0xFFFF || cd_off == 0xFFFFFFFF || cd_size == 0xFFFFFFFF)
        return FAIL("the package must not use ZIP64");
    if ((size_t)cd_off > eocd || (size_t)cd_size > eocd - cd_off)
        return FAIL("the package's central directory is damaged");
    if (count > PACKAGE_MAX_ENTRIES)
        return FAIL("the package must hold at most %d files", PACKAGE_MAX_ENTRIES);
    size_t pos = cd_off, end = (size_t)cd_off + cd_size;
    const unsigned char *names[PACKAGE_MAX_ENTRIES];
    size_t lens[PACKAGE_MAX_ENTRIES];

    for (unsigned i = 0; i < count; i++) {
        if (end - pos < 46 || le32(p + pos) != 0x02014b50)
            return FAIL("the package's central directory is damaged");
        size_t name_len = le16(p + pos + 28);
        size_t rec = 46 + name_len + le16(p + pos + 30) + le16(p + pos + 32);

        if (end - pos < rec)
            return FAIL("the package's central directory is damaged");
        if (memchr(p + pos + 46, '\0', name_len))
            return FAIL("entry names must not contain NUL characters");
        names[i] = p + pos + 46;
        lens[i] = name_len;
        /* Exact duplicates would make libzip refuse the zip with a vaguer message; names that
         * differ only in ASCII case would collide when extracted on Windows or macOS. */
        for (unsigned j = 0; j < i; j++)
            if (lens[j] == name_len &&
                strncasecmp((const char *)names[j], (const char *)names[i], name_len) == 0) {
                char name[65], pb[72];

                snprintf(name, sizeof(name), "%.*s", (int)(name_len < 64 ? name_len : 64),
                         (const char *)names[i]);
                return FAIL("entry %s: duplicate name", package_printable(name, pb));
            }
        pos += rec;
    }
    return SB_OK;
}

static sb_err check_name(const char *name, struct sb_diag *diag)
{
    char pb[72];

    if (name[0] == '\0')
        return FAIL("entry names must not be empty");
    package_printable(name, pb);
    if (name[0] == '/')
        return FAIL("entry %s: names must be relative, not absolute", pb);
    if (strchr(name, '\\'))
        return FAIL("entry %s: names must not contain backslashes", pb);
    if (strchr(name, ':'))
        return FAIL("entry %s: names must not contain ':' (drive letters)", pb);
    for (const char *c = name; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            return FAIL("entry %s: names must not contain control characters", pb);
    if (name[strlen(name) - 1] == '/')
        return FAIL("entry %s: directories are not allowed, only files", pb);
    for (const char *seg = name;;) {
        const char *slash = strchr(seg, '/');
        size_t n = slash ? (size_t)(slash - seg) : strlen(seg);

        if (n == 2 && seg[0] == '.' && seg[1] == '.')
            return FAIL("entry %s: names must not contain '..' segments", pb);
        if (n == 0 || (n == 1 && seg[0] == '.'))
            return FAIL("entry %s: names must not contain empty or '.' segments", pb);
        if (!slash)
            break;
        seg = slash + 1;
    }
    return SB_OK;
}

static sb_err check_entries(struct pkg *pk, struct sb_diag *diag)
{
    zip_uint64_t total = 0;
    char pb[72];

    for (zip_int64_t i = 0; i < pk->n; i++) {
        zip_uint64_t idx = (zip_uint64_t)i;
        const char *name = zip_get_name(pk->za, idx, ZIP_FL_ENC_RAW);
        zip_stat_t st;
        zip_uint8_t opsys;
        zip_uint32_t attr;
        sb_err err;

        if (!name || zip_stat_index(pk->za, idx, ZIP_FL_ENC_RAW, &st) != 0 ||
            !(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
            return FAIL("entry %lld cannot be read: %s", (long long)i, zip_strerror(pk->za));
        if ((err = check_name(name, diag)))
            return err;
        package_printable(name, pb);
        if (zip_file_get_external_attributes(pk->za, idx, 0, &opsys, &attr) != 0)
            return FAIL("entry %s cannot be read: %s", pb, zip_strerror(pk->za));
        if (opsys == ZIP_OPSYS_UNIX) {
            mode_t mode = (mode_t)(attr >> 16);

            if (S_ISLNK(mode))
                return FAIL("entry %s: symbolic links are not allowed", pb);
            if (S_ISDIR(mode))
                return FAIL("entry %s: directories are not allowed, only files", pb);
        } else if (opsys == ZIP_OPSYS_DOS && (attr & 0x10)) {
            return FAIL("entry %s: directories are not allowed, only files", pb);
        }
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
            return FAIL("entry %s: encrypted entries are not allowed", pb);
        if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE &&
            st.comp_method != ZIP_CM_DEFLATE)
            return FAIL("entry %s: only stored and deflated entries are allowed", pb);
        if (st.size > PACKAGE_ENTRY_MAX)
            return FAIL("entry %s: an entry must be at most 1 MiB uncompressed", pb);
        if (st.size > st.comp_size * PACKAGE_RATIO_MAX)
            return FAIL("entry %s: compression ratio over %d to 1 (a zip bomb?)", pb,
                        PACKAGE_RATIO_MAX);
        total += st.size;
        if (total > PACKAGE_TOTAL_MAX)
            return FAIL("the entries must be at most 4 MiB uncompressed in total");
        /* duplicates were refused in check_raw_names() */
        pk->entries[i] = (struct entry){name, st.size, st.comp_size};
    }
    return SB_OK;
}

zip_int64_t package_zip_find(const struct pkg *pk, const char *name)
{
    for (zip_int64_t i = 0; i < pk->n; i++)
        if (strcmp(pk->entries[i].name, name) == 0)
            return i;
    return -1;
}

/* Decompresses entry i into a heap buffer (NUL-terminated for convenience), counting bytes as
 * they come: the declared sizes were checked already, but they may lie. */
sb_err package_zip_read(struct pkg *pk, zip_int64_t i, unsigned char **out, size_t *out_len,
                        struct sb_diag *diag)
{
    const struct entry *e = &pk->entries[i];
    uint64_t ratio_limit = e->comp_size * PACKAGE_RATIO_MAX;
    zip_file_t *f = zip_fopen_index(pk->za, (zip_uint64_t)i, 0);
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    char pb[72];
    sb_err err = SB_OK;

    package_printable(e->name, pb);
    *out = NULL;
    *out_len = 0;
    if (!f)
        return FAIL("entry %s cannot be read: %s", pb, zip_strerror(pk->za));
    for (;;) {
        unsigned char chunk[16384];
        zip_int64_t got = zip_fread(f, chunk, sizeof(chunk));

        if (got < 0) {
            err = FAIL("entry %s cannot be read: %s", pb, zip_file_strerror(f));
            break;
        }
        if (got == 0)
            break;
        len += (size_t)got;
        if (len > PACKAGE_ENTRY_MAX) {
            err = FAIL("entry %s: an entry must be at most 1 MiB uncompressed", pb);
            break;
        }
        if (len > ratio_limit) {
            err = FAIL("entry %s: compression ratio over %d to 1 (a zip bomb?)", pb,
                       PACKAGE_RATIO_MAX);
            break;
        }
        if (pk->inflated + len > PACKAGE_TOTAL_MAX) {
            err = FAIL("the entries must be at most 4 MiB uncompressed in total");
            break;
        }
        if (len + 1 > cap) {
            size_t ncap = cap ? cap * 2 : 16384;
            unsigned char *nb;

            while (ncap < len + 1)
                ncap *= 2;
            if (!(nb = realloc(buf, ncap))) {
                err = sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
                break;
            }
            buf = nb;
            cap = ncap;
        }
        memcpy(buf + len - (size_t)got, chunk, (size_t)got);
    }
    zip_fclose(f);
    if (err) {
        free(buf);
        return err;
    }
    if (!buf && !(buf = malloc(1)))
        return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
    buf[len] = '\0';
    pk->inflated += len;
    *out = buf;
    *out_len = len;
    return SB_OK;
}

sb_err package_zip_open(struct pkg *pk, const void *zip, size_t len, struct sb_diag *diag)
{
    zip_error_t zerr;
    zip_source_t *src;
    sb_err err;

    if (len == 0)
        return FAIL("the package is empty");
    if (len > PACKAGE_MAX_BYTES)
        return sb_fail(diag, SB_ERR_TOO_LARGE, PACKAGE_CODE, "the package must be at most 1 MiB");
    if (len < 22)
        return FAIL("the package is not a zip archive");
    if ((err = check_raw_names(zip, len, diag)))
        return err;
    zip_error_init(&zerr);
    if (!(src = zip_source_buffer_create(zip, len, 0, &zerr))) {
        zip_error_fini(&zerr);
        return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
    }
    if (!(pk->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &zerr))) {
        err = FAIL("the package is not a zip archive (%s)", zip_error_strerror(&zerr));
        zip_source_free(src);
        zip_error_fini(&zerr);
        return err;
    }
    zip_error_fini(&zerr);
    pk->n = zip_get_num_entries(pk->za, 0);
    if (pk->n < 0)
        return FAIL("the package is not a zip archive");
    if (pk->n > PACKAGE_MAX_ENTRIES)
        return FAIL("the package must hold at most %d files", PACKAGE_MAX_ENTRIES);
    return check_entries(pk, diag);
}
