/*
 * test_package.c: unit tests for src/connectors/package (package_validate): a valid package and
 * its output, every required manifest field, the field rules, the icons, and hostile zips
 * (traversal names, symbolic links, directories, duplicates, too many entries, zip bombs with
 * honest and with lying sizes, NUL in names, not a zip). Zips are built in memory with libzip,
 * PNGs with a tiny encoder (stored deflate blocks, CRC-32 and Adler-32 written here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "connectors/package.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#define APP_ID "6A1C9A1E-2B3C-4D5E-8F90-A1B2C3D4E5F6"
#define CONNECTOR_ID "0f0e0d0c-0b0a-4908-8706-050403020100"

/* ---- PNG ---- */

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;

    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return c ^ 0xFFFFFFFFu;
}

static void be32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)(v >> 24);
    p[1] = (unsigned char)(v >> 16);
    p[2] = (unsigned char)(v >> 8);
    p[3] = (unsigned char)v;
}

/* Appends a chunk (length, type, data, CRC over type+data) at p; returns its size. */
static size_t chunk(unsigned char *p, const char *type, const unsigned char *data, size_t n)
{
    be32(p, (uint32_t)n);
    memcpy(p + 4, type, 4);
    if (n)
        memcpy(p + 8, data, n);
    be32(p + 8 + n, crc32_of(p + 4, n + 4));
    return 12 + n;
}

/* A real w x h 8-bit greyscale PNG: IHDR, one IDAT (zlib, stored blocks), IEND. */
static unsigned char *make_png(uint32_t w, uint32_t h, size_t *len)
{
    size_t raw_len = (size_t)(w + 1) * h;
    size_t blocks = raw_len / 65535 + 1;
    size_t z_len = 2 + raw_len + blocks * 5 + 4;
    unsigned char *raw = calloc(raw_len, 1), *z = malloc(z_len);
    unsigned char *png = malloc(8 + 25 + 12 + z_len + 12), ihdr[13];
    size_t zp = 0, n = 0;
    uint32_t a = 1, b = 0;

    assert_non_null(raw);
    assert_non_null(z);
    assert_non_null(png);
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            raw[(size_t)y * (w + 1) + 1 + x] = (unsigned char)(x ^ y);
    z[zp++] = 0x78;
    z[zp++] = 0x01;
    for (size_t off = 0; off < raw_len || off == 0;) {
        size_t take = raw_len - off > 65535 ? 65535 : raw_len - off;

        z[zp++] = off + take == raw_len ? 1 : 0;
        z[zp++] = (unsigned char)take;
        z[zp++] = (unsigned char)(take >> 8);
        z[zp++] = (unsigned char)~take;
        z[zp++] = (unsigned char)(~take >> 8);
        memcpy(z + zp, raw + off, take);
        zp += take;
        off += take;
        if (take == 0)
            break;
    }
    for (size_t i = 0; i < raw_len; i++) {
        a = (a + raw[i]) % 65521;
        b = (b + a) % 65521;
    }
    be32(z + zp, b << 16 | a);
    zp += 4;
    memcpy(png, "\x89PNG\r\n\x1a\n", 8);
    n = 8;
    be32(ihdr, w);
    be32(ihdr + 4, h);
    memcpy(ihdr + 8, "\x08\x00\x00\x00\x00", 5);
    n += chunk(png + n, "IHDR", ihdr, 13);
    n += chunk(png + n, "IDAT", z, zp);
    n += chunk(png + n, "IEND", NULL, 0);
    free(raw);
    free(z);
    *len = n;
    return png;
}

/* ---- zips ---- */

enum kind { PLAIN, SYMLINK, DIRECTORY, STORED };

struct zfile {
    const char *name;
    const void *data;
    size_t len;
    enum kind kind;
};

static unsigned char *build_zip(const struct zfile *files, size_t n, size_t *len)
{
    zip_error_t zerr;
    zip_source_t *src;
    zip_t *za;
    zip_stat_t st;
    unsigned char *out;

    if (n == 0) { /* libzip writes nothing for an empty archive: the bare end record */
        out = calloc(22, 1);
        assert_non_null(out);
        memcpy(out, "PK\x05\x06", 4);
        *len = 22;
        return out;
    }
    zip_error_init(&zerr);
    src = zip_source_buffer_create(NULL, 0, 0, &zerr);
    assert_non_null(src);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &zerr);
    assert_non_null(za);
    for (size_t i = 0; i < n; i++) {
        zip_int64_t idx;

        if (files[i].kind == DIRECTORY) {
            idx = zip_dir_add(za, files[i].name, ZIP_FL_ENC_RAW);
        } else {
            zip_source_t *fs = zip_source_buffer(za, files[i].data, files[i].len, 0);

            assert_non_null(fs);
            idx = zip_file_add(za, files[i].name, fs, ZIP_FL_ENC_RAW);
            if (idx < 0)
                zip_source_free(fs);
        }
        if (idx < 0)
            fail_msg("zip_file_add %s: %s", files[i].name, zip_strerror(za));
        if (files[i].kind == SYMLINK)
            assert_int_equal(zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0,
                                                              ZIP_OPSYS_UNIX,
                                                              (zip_uint32_t)(S_IFLNK | 0777) << 16),
                             0);
        if (files[i].kind == STORED)
            assert_int_equal(zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0), 0);
    }
    if (zip_close(za) != 0)
        fail_msg("zip_close: %s", zip_strerror(za));
    assert_int_equal(zip_source_stat(src, &st), 0);
    assert_int_equal(zip_source_open(src), 0);
    out = malloc(st.size ? st.size : 1);
    assert_non_null(out);
    assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&zerr);
    *len = st.size;
    return out;
}

/* Replaces every occurrence of from by to (same length) in buf: renames entries after libzip
 * wrote them, in both the local and the central headers. */
static void patch(unsigned char *buf, size_t len, const void *from, const void *to, size_t n)
{
    int hits = 0;

    for (size_t i = 0; i + n <= len; i++)
        if (memcmp(buf + i, from, n) == 0) {
            memcpy(buf + i, to, n);
            hits++;
        }
    assert_true(hits >= 2);
}

/* ---- the manifest ---- */

static json_t *base_manifest(void)
{
    json_error_t jerr;
    json_t *m = json_loads(
        "{\"$schema\":\"https://developer.microsoft.com/json-schemas/teams/v1.17/"
        "MicrosoftTeams.schema.json\","
        "\"manifestVersion\":\"1.17\",\"id\":\"" APP_ID "\",\"version\":\"1.2.3\","
        "\"name\":{\"short\":\"Build Bot\",\"full\":\"Build Bot for Contoso CI\"},"
        "\"description\":{\"short\":\"Posts build results\","
        "\"full\":\"Posts the results of every build to the channel.\"},"
        "\"developer\":{\"name\":\"Contoso\",\"websiteUrl\":\"https://contoso.example\","
        "\"privacyUrl\":\"https://contoso.example/privacy\","
        "\"termsOfUseUrl\":\"https://contoso.example/terms\"},"
        "\"icons\":{\"color\":\"color.png\",\"outline\":\"outline.png\"},"
        "\"accentColor\":\"#FFFFFF\","
        "\"connectors\":[{\"connectorId\":\"" CONNECTOR_ID "\","
        "\"configurationUrl\":\"https://contoso.example/configure\",\"scopes\":[\"team\"]}],"
        "\"graphConnector\":{\"notificationUrl\":\"https://contoso.example/notify\"},"
        "\"validDomains\":[\"contoso.example\",\"*.ci.contoso.example\"]}",
        0, &jerr);

    if (!m)
        fail_msg("base manifest: %s", jerr.text);
    return m;
}

/* Sets (v) or removes (v NULL) the member at a dotted path; v is stolen. */
static void set_path(json_t *m, const char *path, json_t *v)
{
    char buf[128], *dot;
    json_t *obj = m;

    snprintf(buf, sizeof(buf), "%s", path);
    char *key = buf;

    while ((dot = strchr(key, '.'))) {
        *dot = '\0';
        obj = json_object_get(obj, key);
        if (json_is_array(obj))
            obj = json_array_get(obj, 0);
        assert_non_null(obj);
        key = dot + 1;
    }
    if (v)
        json_object_set_new(obj, key, v);
    else
        assert_int_equal(json_object_del(obj, key), 0);
}

static unsigned char *color_png, *outline_png;
static size_t color_len, outline_len;

static int setup(void **state)
{
    (void)state;
    color_png = make_png(192, 192, &color_len);
    outline_png = make_png(32, 32, &outline_len);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(color_png);
    free(outline_png);
    return 0;
}

/* manifest text + color.png + outline.png */
static unsigned char *package_of_text(const char *text, size_t *len)
{
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
    };

    return build_zip(files, 3, len);
}

static unsigned char *package_of(json_t *m, size_t *len)
{
    char *text = json_dumps(m, 0);
    unsigned char *zip;

    assert_non_null(text);
    zip = package_of_text(text, len);
    free(text);
    return zip;
}

static sb_err validate(const void *zip, size_t len, struct package_info *info, struct sb_diag *diag)
{
    memset(diag, 0, sizeof(*diag));
    memset(info, 0x5A, sizeof(*info)); /* poison: must be zeroed on failure */
    return package_validate(zip, len, info, diag);
}

static void expect_fail_zip(const void *zip, size_t len, const char *message)
{
    struct package_info info;
    struct sb_diag diag;
    sb_err err = validate(zip, len, &info, &diag);

    if (err == SB_OK) {
        package_info_free(&info);
        fail_msg("accepted; expected \"%s\"", message);
    }
    assert_int_equal(err, SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPackage");
    assert_string_equal(diag.message, message);
    assert_null(info.full_description);
    assert_null(info.color_icon);
    assert_int_equal(info.color_icon_len, 0);
    assert_string_equal(info.id, "");
}

static void expect_fail_files(const struct zfile *files, size_t n, const char *message)
{
    size_t len;
    unsigned char *zip = build_zip(files, n, &len);

    expect_fail_zip(zip, len, message);
    free(zip);
}

/* Consumes m. */
static void expect_fail_manifest(json_t *m, const char *message)
{
    size_t len;
    unsigned char *zip = package_of(m, &len);

    json_decref(m);
    expect_fail_zip(zip, len, message);
    free(zip);
}

static void expect_fail_set(const char *path, json_t *v, const char *message)
{
    json_t *m = base_manifest();

    set_path(m, path, v);
    expect_fail_manifest(m, message);
}

/* Consumes m; fills info (the caller frees it). */
static void expect_ok_manifest(json_t *m, struct package_info *info)
{
    size_t len;
    unsigned char *zip = package_of(m, &len);
    struct sb_diag diag;
    sb_err err;

    json_decref(m);
    err = validate(zip, len, info, &diag);
    free(zip);
    if (err)
        fail_msg("refused (%s): %s", diag.code, diag.message);
}

/* ---- tests: accepted packages ---- */

static void test_valid_package(void **state)
{
    struct package_info info;

    (void)state;
    expect_ok_manifest(base_manifest(), &info);
    assert_string_equal(info.manifest_version, "1.17");
    assert_string_equal(info.id, "6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6");
    assert_string_equal(info.version, "1.2.3");
    assert_string_equal(info.short_name, "Build Bot");
    assert_string_equal(info.full_name, "Build Bot for Contoso CI");
    assert_string_equal(info.short_description, "Posts build results");
    assert_string_equal(info.full_description, "Posts the results of every build to the channel.");
    assert_string_equal(info.developer_name, "Contoso");
    assert_string_equal(info.developer_website, "https://contoso.example");
    assert_string_equal(info.accent_color, "#FFFFFF");
    assert_true(info.has_connector);
    assert_string_equal(info.connector_id, CONNECTOR_ID);
    assert_string_equal(info.configuration_url, "https://contoso.example/configure");
    assert_true(info.has_graph_connector);
    assert_string_equal(info.notification_url, "https://contoso.example/notify");
    assert_string_equal(info.web_app_id, "");
    assert_int_equal(info.valid_domain_count, 2);
    assert_string_equal(info.valid_domains[0], "contoso.example");
    assert_string_equal(info.valid_domains[1], "*.ci.contoso.example");
    assert_int_equal(info.color_icon_len, color_len);
    assert_memory_equal(info.color_icon, color_png, color_len);
    package_info_free(&info);
    assert_null(info.color_icon);
    assert_null(info.full_description);
    package_info_free(&info); /* twice is fine */
}

static void test_valid_minimal(void **state)
{
    struct package_info info;
    json_t *m = base_manifest();

    (void)state;
    set_path(m, "connectors", NULL);
    set_path(m, "graphConnector", NULL);
    set_path(m, "validDomains", NULL);
    set_path(m, "name.full", NULL);
    set_path(m, "manifestVersion", json_string("1.5"));
    expect_ok_manifest(m, &info);
    assert_false(info.has_connector);
    assert_string_equal(info.connector_id, "");
    assert_string_equal(info.configuration_url, "");
    assert_false(info.has_graph_connector);
    assert_int_equal(info.valid_domain_count, 0);
    assert_string_equal(info.full_name, "");
    package_info_free(&info);

    /* devPreview, a connector without configurationUrl, empty connectors list */
    m = base_manifest();
    set_path(m, "manifestVersion", json_string("devPreview"));
    set_path(m, "connectors.configurationUrl", NULL);
    expect_ok_manifest(m, &info);
    assert_true(info.has_connector);
    assert_string_equal(info.configuration_url, "");
    package_info_free(&info);
    m = base_manifest();
    set_path(m, "connectors", json_array());
    expect_ok_manifest(m, &info);
    assert_false(info.has_connector);
    package_info_free(&info);
}

static void test_bom_and_stored_entries(void **state)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, JSON_INDENT(2));
    size_t tl = strlen(text), len;
    char *bom = malloc(tl + 4);
    struct package_info info;
    struct sb_diag diag;

    (void)state;
    memcpy(bom, "\xEF\xBB\xBF", 3);
    memcpy(bom + 3, text, tl + 1);
    struct zfile files[] = {
        {"manifest.json", bom, tl + 3, STORED},
        {"color.png", color_png, color_len, STORED},
        {"outline.png", outline_png, outline_len, PLAIN},
        {"readme.txt", "hello", 5, PLAIN},
        {"images/extra.png", outline_png, outline_len, PLAIN},
    };
    unsigned char *zip = build_zip(files, 5, &len);

    if (validate(zip, len, &info, &diag))
        fail_msg("refused: %s", diag.message);
    assert_string_equal(info.short_name, "Build Bot");
    package_info_free(&info);
    free(zip);
    free(bom);
    free(text);
    json_decref(m);
}

static void test_icons_in_a_folder(void **state)
{
    json_t *m = base_manifest();
    char *text;
    size_t len;
    struct package_info info;
    struct sb_diag diag;

    (void)state;
    set_path(m, "icons.color", json_string("icons/color.png"));
    text = json_dumps(m, 0);
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"icons/color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
    };
    unsigned char *zip = build_zip(files, 3, &len);

    if (validate(zip, len, &info, &diag))
        fail_msg("refused: %s", diag.message);
    package_info_free(&info);
    free(zip);
    free(text);
    json_decref(m);
}

static void test_utf8_lengths(void **state)
{
    struct package_info info;
    json_t *m = base_manifest();

    (void)state;
    /* 30 characters, 60 bytes */
    set_path(m, "name.short", json_string("ééééééééééééééééééééééééééééé\xC3\xA9"));
    expect_ok_manifest(m, &info);
    assert_int_equal(strlen(info.short_name), 60);
    package_info_free(&info);
}

/* ---- tests: the manifest's fields ---- */

static void test_missing_required_fields(void **state)
{
    static const struct {
        const char *path, *message;
    } cases[] = {
        {"manifestVersion", "manifest.json: manifestVersion is required"},
        {"id", "manifest.json: id is required"},
        {"version", "manifest.json: version is required"},
        {"name", "manifest.json: name is required"},
        {"name.short", "manifest.json: name.short is required"},
        {"description", "manifest.json: description is required"},
        {"description.short", "manifest.json: description.short is required"},
        {"description.full", "manifest.json: description.full is required"},
        {"developer", "manifest.json: developer is required"},
        {"developer.name", "manifest.json: developer.name is required"},
        {"developer.websiteUrl", "manifest.json: developer.websiteUrl is required"},
        {"developer.privacyUrl", "manifest.json: developer.privacyUrl is required"},
        {"developer.termsOfUseUrl", "manifest.json: developer.termsOfUseUrl is required"},
        {"icons", "manifest.json: icons is required"},
        {"icons.color", "manifest.json: icons.color is required"},
        {"icons.outline", "manifest.json: icons.outline is required"},
        {"accentColor", "manifest.json: accentColor is required"},
        {"connectors.connectorId", "manifest.json: connectors[0].connectorId is required"},
        {"connectors.scopes", "manifest.json: connectors[0].scopes is required"},
        {"graphConnector.notificationUrl",
         "manifest.json: graphConnector.notificationUrl is required"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        json_t *m = base_manifest();

        set_path(m, cases[i].path, NULL);
        expect_fail_manifest(m, cases[i].message);
    }
    expect_fail_set("name.short", json_string(""), "manifest.json: name.short must not be empty");
    expect_fail_set("developer.name", json_integer(3),
                    "manifest.json: developer.name must be a string");
    expect_fail_set("name", json_string("Build Bot"), "manifest.json: name must be an object");
}

static void test_bad_guids(void **state)
{
    static const char *bad[] = {
        "",
        "not-a-guid",
        "6a1c9a1e2b3c4d5e8f90a1b2c3d4e5f6",
        "{6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6}",
        "6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f",
        "6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6a",
        "6a1c9a1g-2b3c-4d5e-8f90-a1b2c3d4e5f6",
        "6a1c9a1e_2b3c-4d5e-8f90-a1b2c3d4e5f6",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (bad[i][0]) /* "" is "must not be empty" */
            expect_fail_set("id", json_string(bad[i]), "manifest.json: id must be a GUID");
        expect_fail_set("connectors.connectorId", json_string(bad[i]),
                        bad[i][0] ? "manifest.json: connectors[0].connectorId must be a GUID"
                                  : "manifest.json: connectors[0].connectorId must not be empty");
    }
    expect_fail_set("id", json_integer(1), "manifest.json: id must be a string");
}

static void test_bad_manifest_version(void **state)
{
    static const char *bad[] = {"1.4", "1.18", "2.0", "1.05", "1.5.0", "devpreview", "v1.17"};
    const char *msg = "manifest.json: manifestVersion must be one of 1.5 to 1.17 or devPreview";

    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_fail_set("manifestVersion", json_string(bad[i]), msg);
    expect_fail_set("manifestVersion", json_real(1.5),
                    "manifest.json: manifestVersion must be a string");
}

static void test_bad_version_and_color(void **state)
{
    static const char *bad_versions[] = {"1",     "1.0",  "1.0.0.0",    "1.0.a",
                                         "a.b.c", "1..0", "1.0.0-beta", " 1.0.0"};
    static const char *bad_colors[] = {"FFFFFF", "#FFF", "#FFFFFG", "#FFFFFFF", "red"};

    (void)state;
    for (size_t i = 0; i < sizeof(bad_versions) / sizeof(bad_versions[0]); i++)
        expect_fail_set("version", json_string(bad_versions[i]),
                        "manifest.json: version must be digits.digits.digits, e.g. 1.0.0");
    for (size_t i = 0; i < sizeof(bad_colors) / sizeof(bad_colors[0]); i++)
        expect_fail_set("accentColor", json_string(bad_colors[i]),
                        "manifest.json: accentColor must be #RRGGBB");
}

static void test_lengths(void **state)
{
    char s[4002];

    (void)state;
    memset(s, 'x', sizeof(s));
    s[31] = '\0';
    expect_fail_set("name.short", json_string(s),
                    "manifest.json: name.short must be at most 30 characters");
    s[31] = 'x';
    s[101] = '\0';
    expect_fail_set("name.full", json_string(s),
                    "manifest.json: name.full must be at most 100 characters");
    s[101] = 'x';
    s[81] = '\0';
    expect_fail_set("description.short", json_string(s),
                    "manifest.json: description.short must be at most 80 characters");
    s[81] = 'x';
    s[4001] = '\0';
    expect_fail_set("description.full", json_string(s),
                    "manifest.json: description.full must be at most 4000 characters");
    s[33] = '\0';
    expect_fail_set("developer.name", json_string(s),
                    "manifest.json: developer.name must be at most 32 characters");
}

static void test_http_urls(void **state)
{
    static const struct {
        const char *path, *message;
    } cases[] = {
        {"developer.websiteUrl", "manifest.json: developer.websiteUrl must be an https URL"},
        {"developer.privacyUrl", "manifest.json: developer.privacyUrl must be an https URL"},
        {"developer.termsOfUseUrl", "manifest.json: developer.termsOfUseUrl must be an https URL"},
    };
    static const char *bad[] = {"http://contoso.example/x",
                                "https://",
                                "https:///path",
                                "ftp://contoso.example",
                                "https://contoso.example/a b",
                                "javascript:alert(1)",
                                "//contoso.example"};

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        for (size_t j = 0; j < sizeof(bad) / sizeof(bad[0]); j++)
            expect_fail_set(cases[i].path, json_string(bad[j]), cases[i].message);
    /* a Graph connector's notification URL may be http (delivered only to allowed hosts) */
    for (size_t j = 1; j < sizeof(bad) / sizeof(bad[0]); j++)
        expect_fail_set("graphConnector.notificationUrl", json_string(bad[j]),
                        "manifest.json: graphConnector.notificationUrl must be an https (or "
                        "http) URL");
    expect_fail_set("graphConnector.notificationUrl", json_string("http://"),
                    "manifest.json: graphConnector.notificationUrl must be an https (or http) URL");
    {
        struct package_info info;
        json_t *m = base_manifest();

        set_path(m, "graphConnector.notificationUrl", json_string("http://127.0.0.1:8081/n"));
        expect_ok_manifest(m, &info);
        assert_string_equal(info.notification_url, "http://127.0.0.1:8081/n");
        package_info_free(&info);
    }
}

static void test_connectors_rules(void **state)
{
    json_t *m = base_manifest();
    json_t *arr = json_object_get(m, "connectors");

    (void)state;
    /* Plain http passes the package check: apps_publish allows it for outboundAllowedHosts. */
    static const char *bad_config[] = {
        "https://",   "ftp://contoso.example", "javascript:alert(1)", "http://",
        "http://a b", "//contoso.example"};
    for (size_t i = 0; i < sizeof(bad_config) / sizeof(bad_config[0]); i++)
        expect_fail_set("connectors.configurationUrl", json_string(bad_config[i]),
                        "manifest.json: connectors[0].configurationUrl must be an https URL");
    {
        struct package_info info;
        json_t *ok = base_manifest();

        set_path(ok, "connectors.configurationUrl", json_string("http://127.0.0.1:8080/config"));
        expect_ok_manifest(ok, &info);
        assert_string_equal(info.configuration_url, "http://127.0.0.1:8080/config");
        package_info_free(&info);
    }
    json_array_append(arr, json_array_get(arr, 0));
    expect_fail_manifest(m, "manifest.json: connectors must hold at most 1 connector");
    expect_fail_set("connectors", json_object(), "manifest.json: connectors must be an array");
    expect_fail_set("connectors.scopes", json_pack("[s]", "groupchat"),
                    "manifest.json: connectors[0].scopes may only contain \"team\"");
    expect_fail_set("connectors.scopes", json_pack("[ss]", "team", "personal"),
                    "manifest.json: connectors[0].scopes may only contain \"team\"");
    expect_fail_set("connectors.scopes", json_array(),
                    "manifest.json: connectors[0].scopes must be a non-empty array");
    expect_fail_set("connectors.scopes", json_string("team"),
                    "manifest.json: connectors[0].scopes must be a non-empty array");
    expect_fail_set("graphConnector", json_true(),
                    "manifest.json: graphConnector must be an object");
    expect_fail_set("manifestVersion", json_string("1.12"),
                    "manifest.json: graphConnector needs manifestVersion 1.13 or later");
    expect_fail_set("webApplicationInfo", json_pack("{s:s}", "id", "nope"),
                    "manifest.json: webApplicationInfo.id must be a GUID");
    m = base_manifest();
    json_array_set_new(json_object_get(m, "connectors"), 0, json_string("x"));
    expect_fail_manifest(m, "manifest.json: connectors[0] must be an object");
}

static void test_valid_domains(void **state)
{
    static const char *bad[] = {"https://contoso.example",
                                "contoso.example/path",
                                "contoso.example:8443",
                                "*",
                                "*.",
                                "-contoso.example",
                                "contoso..example",
                                "conto so.example",
                                "",
                                "a.*.example"};
    char msg[160];

    (void)state;
    snprintf(msg, sizeof(msg),
             "manifest.json: validDomains[1] must be a host name or *.host (no scheme, port or "
             "path)");
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        expect_fail_set("validDomains", json_pack("[ss]", "ok.example", bad[i]), msg);
    expect_fail_set("validDomains", json_pack("[si]", "ok.example", 7), msg);
    expect_fail_set("validDomains", json_string("contoso.example"),
                    "manifest.json: validDomains must be an array");

    json_t *many = json_array();

    for (int i = 0; i < 33; i++)
        json_array_append_new(many, json_sprintf("h%d.example", i));
    expect_fail_set("validDomains", many,
                    "manifest.json: validDomains must hold at most 32 domains");

    struct package_info info;
    json_t *m = base_manifest();

    many = json_array();
    for (int i = 0; i < 32; i++)
        json_array_append_new(many, json_sprintf("h%d.example", i));
    set_path(m, "validDomains", many);
    expect_ok_manifest(m, &info);
    assert_int_equal(info.valid_domain_count, 32);
    assert_string_equal(info.valid_domains[31], "h31.example");
    package_info_free(&info);
}

static void test_manifest_not_json(void **state)
{
    size_t len;
    unsigned char *zip;
    struct package_info info;
    struct sb_diag diag;

    (void)state;
    zip = package_of_text("{\"manifestVersion\": ", &len);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPackage");
    assert_non_null(strstr(diag.message, "manifest.json is not valid JSON"));
    free(zip);

    zip = package_of_text("[1, 2]", &len);
    expect_fail_zip(zip, len, "manifest.json must be a JSON object");
    free(zip);
    zip = package_of_text("\"text\"", &len);
    expect_fail_zip(zip, len, "manifest.json must be a JSON object");
    free(zip);

    zip = package_of_text("", &len);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "manifest.json is not valid JSON"));
    free(zip);

    /* invalid UTF-8, duplicate keys */
    zip = package_of_text("{\"id\": \"\xff\"}", &len);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "manifest.json is not valid JSON"));
    free(zip);
    zip = package_of_text("{\"id\": \"a\", \"id\": \"b\"}", &len);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "manifest.json is not valid JSON"));
    free(zip);
}

static void test_manifest_missing(void **state)
{
    struct zfile files[] = {
        {"Manifest.JSON", "{}", 2, PLAIN},
        {"color.png", color_png, color_len, PLAIN},
    };
    struct zfile nested[] = {
        {"app/manifest.json", "{}", 2, PLAIN},
    };

    (void)state;
    expect_fail_files(files, 2, "manifest.json is required at the root of the package");
    expect_fail_files(nested, 1, "manifest.json is required at the root of the package");
    expect_fail_files(NULL, 0, "manifest.json is required at the root of the package");
}

/* ---- tests: icons ---- */

static void test_icons(void **state)
{
    size_t small_len, big_len, len;
    unsigned char *small = make_png(32, 32, &small_len), *big = make_png(192, 192, &big_len);
    unsigned char *odd, *zip;
    size_t odd_len;
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);

    (void)state;
    /* swapped sizes */
    struct zfile swapped[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", small, small_len, PLAIN},
        {"outline.png", big, big_len, PLAIN},
    };
    expect_fail_files(swapped, 3, "manifest.json: icons.color must be 192x192 pixels, not 32x32");
    swapped[1].data = big;
    swapped[1].len = big_len;
    expect_fail_files(swapped, 3, "manifest.json: icons.outline must be 32x32 pixels, not 192x192");
    /* not square */
    odd = make_png(192, 191, &odd_len);
    swapped[1].data = odd;
    swapped[1].len = odd_len;
    expect_fail_files(swapped, 3, "manifest.json: icons.color must be 192x192 pixels, not 192x191");
    /* not a PNG at all, a truncated PNG, a PNG whose first chunk is not IHDR */
    swapped[1].data = "GIF89a..................................";
    swapped[1].len = 40;
    expect_fail_files(swapped, 3, "manifest.json: icons.color (color.png) must be a PNG image");
    swapped[1].data = big;
    swapped[1].len = 20;
    expect_fail_files(swapped, 3, "manifest.json: icons.color (color.png) must be a PNG image");
    memcpy(odd + 12, "IDAT", 4);
    swapped[1].data = odd;
    swapped[1].len = odd_len;
    expect_fail_files(swapped, 3, "manifest.json: icons.color (color.png) must be a PNG image");
    swapped[1].data = "";
    swapped[1].len = 0;
    expect_fail_files(swapped, 3, "manifest.json: icons.color (color.png) must be a PNG image");
    /* missing file */
    swapped[1].name = "colour.png";
    swapped[1].data = big;
    swapped[1].len = big_len;
    expect_fail_files(swapped, 3,
                      "manifest.json: icons.color names color.png, which is not in the package");
    json_decref(m);
    free(text);

    m = base_manifest();
    set_path(m, "icons.outline", json_string("../outline.png"));
    zip = package_of(m, &len);
    expect_fail_zip(zip, len,
                    "manifest.json: icons.outline names ../outline.png, which is not in the "
                    "package");
    free(zip);
    json_decref(m);
    free(small);
    free(big);
    free(odd);
}

/* ---- tests: hostile zips ---- */

static void expect_bad_name(const char *name, const char *message)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
        {name, "x", 1, PLAIN},
    };

    expect_fail_files(files, 4, message);
    free(text);
    json_decref(m);
}

static void test_traversal_names(void **state)
{
    (void)state;
    expect_bad_name("../x", "entry ../x: names must not contain '..' segments");
    expect_bad_name("a/../../b", "entry a/../../b: names must not contain '..' segments");
    expect_bad_name("a/..", "entry a/..: names must not contain '..' segments");
    expect_bad_name("/abs", "entry /abs: names must be relative, not absolute");
    expect_bad_name("a\\b", "entry a\\b: names must not contain backslashes");
    expect_bad_name("..\\x", "entry ..\\x: names must not contain backslashes");
    expect_bad_name("C:x", "entry C:x: names must not contain ':' (drive letters)");
    expect_bad_name("a//b", "entry a//b: names must not contain empty or '.' segments");
    expect_bad_name("./a", "entry ./a: names must not contain empty or '.' segments");
    expect_bad_name("a\nb", "entry a?b: names must not contain control characters");
}

static void test_nul_in_name(void **state)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    size_t len;
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
        {"outline.pngQevil", "x", 1, PLAIN},
    };
    unsigned char *zip = build_zip(files, 4, &len);

    (void)state;
    patch(zip, len, "outline.pngQevil", "outline.png\0evil", 16);
    expect_fail_zip(zip, len, "entry names must not contain NUL characters");
    free(zip);
    free(text);
    json_decref(m);
}

static void test_symlink_and_directories(void **state)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", "/etc/passwd", 11, SYMLINK},
    };

    (void)state;
    expect_fail_files(files, 3, "entry outline.png: symbolic links are not allowed");
    files[2] = (struct zfile){"icons", NULL, 0, DIRECTORY};
    expect_fail_files(files, 3, "entry icons/: directories are not allowed, only files");
    free(text);
    json_decref(m);
}

static void test_duplicates(void **state)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    size_t len;
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
        {"manifest.jsoX", "{}", 2, PLAIN},
    };
    unsigned char *zip = build_zip(files, 4, &len);

    (void)state;
    patch(zip, len, "manifest.jsoX", "manifest.json", 13);
    expect_fail_zip(zip, len, "entry manifest.json: duplicate name");
    free(zip);
    /* case-insensitive: they would collide on Windows and macOS */
    files[3].name = "COLOR.PNG";
    expect_fail_files(files, 4, "entry COLOR.PNG: duplicate name");
    free(text);
    json_decref(m);
}

static void test_too_many_entries(void **state)
{
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    struct zfile files[33];
    char names[33][24];

    (void)state;
    files[0] = (struct zfile){"manifest.json", text, strlen(text), PLAIN};
    files[1] = (struct zfile){"color.png", color_png, color_len, PLAIN};
    files[2] = (struct zfile){"outline.png", outline_png, outline_len, PLAIN};
    for (int i = 3; i < 33; i++) {
        snprintf(names[i], sizeof(names[i]), "f%d.txt", i);
        files[i] = (struct zfile){names[i], "x", 1, PLAIN};
    }
    expect_fail_files(files, 33, "the package must hold at most 32 files");

    /* 32 is fine */
    size_t len;
    unsigned char *zip = build_zip(files, 32, &len);
    struct package_info info;
    struct sb_diag diag;

    if (validate(zip, len, &info, &diag))
        fail_msg("refused: %s", diag.message);
    package_info_free(&info);
    free(zip);
    free(text);
    json_decref(m);
}

static void test_zip_bomb(void **state)
{
    size_t big = 50u * 1024 * 1024;
    unsigned char *zeros = calloc(big, 1);
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
        {"zeros.bin", zeros, big, PLAIN},
    };
    size_t len;
    unsigned char *zip;

    (void)state;
    assert_non_null(zeros);
    zip = build_zip(files, 4, &len);
    assert_true(len < PACKAGE_MAX_BYTES); /* it fits the upload limit */
    expect_fail_zip(zip, len, "entry zeros.bin: an entry must be at most 1 MiB uncompressed");
    free(zip);

    /* under the size limit, over the ratio */
    files[3].len = 1024 * 1024;
    expect_fail_files(files, 4, "entry zeros.bin: compression ratio over 100 to 1 (a zip bomb?)");
    free(zeros);
    free(text);
    json_decref(m);
}

/* Entries whose declared sizes lie: the local and central headers say "small", the deflate
 * stream inflates to much more; reading must stop at the limit. */
static void lie_about_size(unsigned char *zip, size_t len, const char *name, uint32_t declared)
{
    size_t n = strlen(name);
    int hits = 0;

    for (size_t i = 0; i + 46 + n <= len; i++) {
        uint32_t sig = (uint32_t)zip[i] | (uint32_t)zip[i + 1] << 8 | (uint32_t)zip[i + 2] << 16 |
                       (uint32_t)zip[i + 3] << 24;
        size_t off;

        if (sig == 0x04034b50 && memcmp(zip + i + 30, name, n) == 0 && zip[i + 26] == n &&
            zip[i + 27] == 0)
            off = i + 22; /* local header: uncompressed size */
        else if (sig == 0x02014b50 && memcmp(zip + i + 46, name, n) == 0 && zip[i + 28] == n &&
                 zip[i + 29] == 0)
            off = i + 24; /* central header */
        else
            continue;
        zip[off] = (unsigned char)declared;
        zip[off + 1] = (unsigned char)(declared >> 8);
        zip[off + 2] = (unsigned char)(declared >> 16);
        zip[off + 3] = (unsigned char)(declared >> 24);
        hits++;
    }
    assert_int_equal(hits, 2);
}

static void test_lying_sizes(void **state)
{
    size_t big = 8u * 1024 * 1024, len;
    char *spaces = malloc(big);
    struct package_info info;
    struct sb_diag diag;

    (void)state;
    assert_non_null(spaces);
    memset(spaces, ' ', big);
    spaces[0] = '{';
    spaces[big - 1] = '}';
    struct zfile files[] = {
        {"manifest.json", spaces, big, PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
    };
    unsigned char *zip = build_zip(files, 3, &len);

    lie_about_size(zip, len, "manifest.json", 1000);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPackage");
    assert_string_equal(diag.message,
                        "entry manifest.json: compression ratio over 100 to 1 (a zip bomb?)");
    assert_null(info.full_description);
    free(zip);

    /* less compressible: the 1 MiB entry limit is hit first, while reading */
    uint32_t x = 7;

    for (size_t i = 1; i + 1 < big; i++) {
        x = x * 1103515245u + 12345u;
        spaces[i] = (i % 8 == 0) ? (char)('a' + (x >> 24) % 26) : ' ';
    }
    files[0].len = 2u * 1024 * 1024;
    zip = build_zip(files, 3, &len);
    assert_true(len <= PACKAGE_MAX_BYTES);
    lie_about_size(zip, len, "manifest.json", 1000);
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.message,
                        "entry manifest.json: an entry must be at most 1 MiB uncompressed");
    free(zip);
    free(spaces);
}

/* Five honest entries of 900 KiB each, compressible about 20:1: each is within the entry and
 * ratio rules, together they are over 4 MiB uncompressed. */
static void test_total_uncompressed(void **state)
{
    size_t each = 900u * 1024, len;
    unsigned char *data = malloc(each);
    uint32_t x = 12345;
    json_t *m = base_manifest();
    char *text = json_dumps(m, 0);

    (void)state;
    assert_non_null(data);
    for (size_t i = 0; i < each; i++) {
        x = x * 1103515245u + 12345u;
        data[i] = (i % 16 == 0) ? (unsigned char)(x >> 24) : 'a';
    }
    struct zfile files[] = {
        {"manifest.json", text, strlen(text), PLAIN},
        {"color.png", color_png, color_len, PLAIN},
        {"outline.png", outline_png, outline_len, PLAIN},
        {"a.bin", data, each, PLAIN},
        {"b.bin", data, each, PLAIN},
        {"c.bin", data, each, PLAIN},
        {"d.bin", data, each, PLAIN},
        {"e.bin", data, each, PLAIN},
    };
    unsigned char *zip = build_zip(files, 8, &len);

    assert_true(len <= PACKAGE_MAX_BYTES);
    expect_fail_zip(zip, len, "the entries must be at most 4 MiB uncompressed in total");
    free(zip);
    free(data);
    free(text);
    json_decref(m);
}

static void test_not_a_zip(void **state)
{
    size_t len;
    unsigned char *zip;
    struct package_info info;
    struct sb_diag diag;
    static const char text[] = "this is not a zip archive, only some text that is long enough";

    (void)state;
    assert_int_equal(validate("", 0, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPackage");
    assert_string_equal(diag.message, "the package is empty");
    assert_int_equal(validate(NULL, 0, &info, &diag), SB_ERR_INVALID);
    assert_int_equal(validate("PK", 2, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.message, "the package is not a zip archive");
    assert_int_equal(validate(text, sizeof(text) - 1, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.message,
                        "the package is not a zip archive (no end of central directory)");
    assert_null(info.color_icon);

    /* too large */
    unsigned char *huge = calloc(PACKAGE_MAX_BYTES + 1, 1);

    assert_int_equal(validate(huge, PACKAGE_MAX_BYTES + 1, &info, &diag), SB_ERR_TOO_LARGE);
    assert_string_equal(diag.code, "invalidPackage");
    free(huge);

    /* truncated and damaged real packages */
    json_t *m = base_manifest();

    zip = package_of(m, &len);
    json_decref(m);
    for (size_t cut = 1; cut < len; cut += len / 7) {
        assert_int_equal(validate(zip, cut, &info, &diag), SB_ERR_INVALID);
        assert_string_equal(diag.code, "invalidPackage");
    }
    /* flip bytes in the compressed data of manifest.json: CRC or inflate error */
    zip[60] ^= 0xFF;
    zip[61] ^= 0xFF;
    zip[62] ^= 0xFF;
    assert_int_equal(validate(zip, len, &info, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.code, "invalidPackage");
    free(zip);
}

static void test_free_is_safe(void **state)
{
    struct package_info info;

    (void)state;
    memset(&info, 0, sizeof(info));
    package_info_free(&info);
    package_info_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_package),
        cmocka_unit_test(test_valid_minimal),
        cmocka_unit_test(test_bom_and_stored_entries),
        cmocka_unit_test(test_icons_in_a_folder),
        cmocka_unit_test(test_utf8_lengths),
        cmocka_unit_test(test_missing_required_fields),
        cmocka_unit_test(test_bad_guids),
        cmocka_unit_test(test_bad_manifest_version),
        cmocka_unit_test(test_bad_version_and_color),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_http_urls),
        cmocka_unit_test(test_connectors_rules),
        cmocka_unit_test(test_valid_domains),
        cmocka_unit_test(test_manifest_not_json),
        cmocka_unit_test(test_manifest_missing),
        cmocka_unit_test(test_icons),
        cmocka_unit_test(test_traversal_names),
        cmocka_unit_test(test_nul_in_name),
        cmocka_unit_test(test_symlink_and_directories),
        cmocka_unit_test(test_duplicates),
        cmocka_unit_test(test_too_many_entries),
        cmocka_unit_test(test_zip_bomb),
        cmocka_unit_test(test_lying_sizes),
        cmocka_unit_test(test_total_uncompressed),
        cmocka_unit_test(test_not_a_zip),
        cmocka_unit_test(test_free_is_safe),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
