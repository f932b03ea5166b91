/*
 * fuzz_package.c: libFuzzer target for package_validate.
 *
 * The whole input is the uploaded zip. Beyond "no crash, no leak, no unbounded inflation"
 * (ASan's allocation limit catches the latter), it checks the contract's promises: on failure a
 * zeroed result and the code "invalidPackage" with a message; on success a GUID id, a colour
 * icon that is a 192x192 PNG, and at most 32 valid domains.
 *
 * Build and run: `make fuzz` (clang, -fsanitize=fuzzer,address,undefined, libzip and jansson).
 * There is no seed corpus yet; a valid package from tests/unit/test_package.c is a good one.
 */
#include "connectors/package.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(int ok, const char *what)
{
    if (!ok) {
        fprintf(stderr, "fuzz_package: broken promise: %s\n", what);
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct package_info info;
    struct sb_diag diag;
    sb_err err;

    memset(&diag, 0, sizeof(diag));
    err = package_validate(data, size, &info, &diag);
    if (err) {
        check(err == SB_ERR_INVALID || err == SB_ERR_TOO_LARGE || err == SB_ERR_NOMEM,
              "error code");
        check(err == SB_ERR_NOMEM || strcmp(diag.code, "invalidPackage") == 0, "diag code");
        check(diag.message[0] != '\0', "diag message");
        check(info.color_icon == NULL && info.full_description == NULL, "zeroed on failure");
        return 0;
    }
    check(strlen(info.id) == 36, "id is a GUID");
    check(info.full_description != NULL, "full description");
    check(info.color_icon != NULL && info.color_icon_len >= 24, "colour icon");
    const unsigned char *png = info.color_icon;

    check(png[16] == 0 && png[17] == 0 && png[18] == 0 && png[19] == 192, "icon width");
    check(png[20] == 0 && png[21] == 0 && png[22] == 0 && png[23] == 192, "icon height");
    check(info.valid_domain_count <= PACKAGE_DOMAINS_MAX, "domains");
    package_info_free(&info);
    return 0;
}
