/*
 * package_zip.h: internal to the package validator (connectors/package*.c only): the zip
 * archive and its entries, and the helpers both halves share. package_zip_open checks the
 * archive's size, its raw central directory (no NUL in names, no ZIP64, no duplicate names in any
 * ASCII case) and every entry (relative names without "..", backslashes, ':' or control
 * characters; files only, no links; stored or deflated, unencrypted; sizes and ratio within the
 * limits of package.h). package_zip_read decompresses one entry counting bytes as they come, so
 * a lying declared size cannot inflate it past those limits.
 */
#ifndef SB_CONNECTORS_PACKAGE_ZIP_H
#define SB_CONNECTORS_PACKAGE_ZIP_H

#include "connectors/package.h"

#include <zip.h>

#define PACKAGE_CODE "invalidPackage"
/* package_invalid(...) with the value SB_ERR_INVALID, a constant the static analyzer sees (it
 * does not follow variadic calls). */
#define FAIL(...) (package_invalid(diag, __VA_ARGS__), SB_ERR_INVALID)

struct entry {
    const char *name; /* raw bytes, as in the central directory (owned by libzip) */
    zip_uint64_t size;
    zip_uint64_t comp_size;
};

struct pkg {
    zip_t *za;
    zip_int64_t n;
    struct entry entries[PACKAGE_MAX_ENTRIES];
    size_t inflated; /* bytes decompressed so far, all entries */
};

/* sb_fail(diag, SB_ERR_INVALID, "invalidPackage", ...). */
__attribute__((format(printf, 2, 3))) void package_invalid(struct sb_diag *diag, const char *fmt,
                                                           ...);
/* name made printable for messages: ASCII graphic characters, others as '?', at most 64. */
const char *package_printable(const char *name, char buf[72]);

/* Opens zip (len bytes) into pk and checks it and its entries; pk->za is then set (the caller
 * discards it, also on failure). */
sb_err package_zip_open(struct pkg *pk, const void *zip, size_t len, struct sb_diag *diag);
/* The index of the entry called name, or -1. */
zip_int64_t package_zip_find(const struct pkg *pk, const char *name);
/* Decompresses entry i into a heap buffer (NUL-terminated), counting bytes as they come. */
sb_err package_zip_read(struct pkg *pk, zip_int64_t i, unsigned char **out, size_t *out_len,
                        struct sb_diag *diag);

#endif
