/*
 * package.c: package_validate(), the app package (zip + manifest.json + icons) validator.
 *
 * Order: the zip's size and entry list (names, kinds, declared sizes, duplicates), then the
 * manifest (read with byte counting, so that a lying declared size cannot inflate it past the
 * limits), then the two icons. Only manifest.json and the icons are ever decompressed.
 */
#include "connectors/package.h"

#include "net/url.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

#define CODE "invalidPackage"
#define FAIL(...) (invalid(diag, __VA_ARGS__), SB_ERR_INVALID)
#define MANIFEST "manifest.json"

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

/* sb_fail(diag, SB_ERR_INVALID, "invalidPackage", ...); FAIL() makes its value a constant that
 * the static analyzer sees (it does not follow variadic calls). */
__attribute__((format(printf, 2, 3))) static void invalid(struct sb_diag *diag, const char *fmt,
                                                          ...)
{
    char msg[sizeof(diag->message)];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sb_fail(diag, SB_ERR_INVALID, CODE, "%s", msg);
}

/* ---- small checks ---- */

/* name made printable for messages: ASCII graphic characters, others as '?', at most 64. */
static const char *printable(const char *name, char buf[72])
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

static size_t utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_guid(const char *s)
{
    for (int i = 0; i < 36; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return false;
        } else if (!isxdigit((unsigned char)s[i])) {
            return false;
        }
    }
    return s[36] == '\0';
}

static bool is_manifest_version(const char *s)
{
    if (strcmp(s, "devPreview") == 0)
        return true;
    for (unsigned v = 5; v <= 17; v++) {
        char want[16];

        snprintf(want, sizeof(want), "1.%u", v);
        if (strcmp(s, want) == 0)
            return true;
    }
    return false;
}

/* digits.digits.digits, each part 1..9 digits. */
static bool is_version(const char *s)
{
    for (int part = 0; part < 3; part++) {
        size_t d = 0;

        while (isdigit((unsigned char)*s)) {
            s++;
            d++;
        }
        if (d == 0 || d > 9)
            return false;
        if (part < 2 && *s++ != '.')
            return false;
    }
    return *s == '\0';
}

static bool is_color(const char *s)
{
    if (s[0] != '#')
        return false;
    for (int i = 1; i <= 6; i++)
        if (!isxdigit((unsigned char)s[i]))
            return false;
    return s[7] == '\0';
}

/* A URL of at most PACKAGE_URL_MAX bytes that net_url_parse accepts (a host, no spaces,
 * control characters or backslashes), https or, with http_too, http: configuration pages and
 * notification URLs of hosts an administrator allows (outboundAllowedHosts) may be plain http;
 * apps_publish and the outbound fetcher check that. */
static bool is_url(const char *s, bool https, bool http)
{
    struct net_url u;
    bool ok;

    if (strlen(s) > PACKAGE_URL_MAX || net_url_parse(s, 0, &u) != SB_OK)
        return false;
    ok = net_url_is_https(&u) ? https : http && net_url_is_web(&u);
    net_url_free(&u);
    return ok;
}

static bool is_https_url(const char *s)
{
    return is_url(s, true, false);
}

static bool is_web_url(const char *s)
{
    return is_url(s, true, true);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

bool package_https_url(const char *s)
{
    return is_https_url(s);
}

bool package_http_url(const char *s)
{
    return is_url(s, false, true);
}

bool package_domain(const char *s)
{
    return net_url_domain_pattern_ok(s);
}

/* ---- the zip ---- */

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
                return FAIL("entry %s: duplicate name", printable(name, pb));
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
    printable(name, pb);
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
        printable(name, pb);
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

static zip_int64_t find_entry(const struct pkg *pk, const char *name)
{
    for (zip_int64_t i = 0; i < pk->n; i++)
        if (strcmp(pk->entries[i].name, name) == 0)
            return i;
    return -1;
}

/* Decompresses entry i into a heap buffer (NUL-terminated for convenience), counting bytes as
 * they come: the declared sizes were checked already, but they may lie. */
static sb_err read_entry(struct pkg *pk, zip_int64_t i, unsigned char **out, size_t *out_len,
                         struct sb_diag *diag)
{
    const struct entry *e = &pk->entries[i];
    uint64_t ratio_limit = e->comp_size * PACKAGE_RATIO_MAX;
    zip_file_t *f = zip_fopen_index(pk->za, (zip_uint64_t)i, 0);
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    char pb[72];
    sb_err err = SB_OK;

    printable(e->name, pb);
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

/* ---- the manifest ---- */

/* obj[key] as a string: path names it in messages; max in characters (0: no limit). */
static sb_err get_str(json_t *obj, const char *key, const char *path, bool required, size_t max,
                      const char **out, struct sb_diag *diag)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return FAIL("manifest.json: %s is required", path);
        return SB_OK;
    }
    const char *s = json_is_string(v) ? json_string_value(v) : NULL;

    if (!s)
        return FAIL("manifest.json: %s must be a string", path);

    if (required && s[0] == '\0')
        return FAIL("manifest.json: %s must not be empty", path);
    if (max && utf8_chars(s) > max)
        return FAIL("manifest.json: %s must be at most %zu characters", path, max);
    *out = s;
    return SB_OK;
}

static sb_err get_obj(json_t *obj, const char *key, bool required, json_t **out,
                      struct sb_diag *diag)
{
    json_t *v = json_object_get(obj, key);

    *out = NULL;
    if (!v || json_is_null(v))
        return required ? FAIL("manifest.json: %s is required", key) : SB_OK;
    if (!json_is_object(v))
        return FAIL("manifest.json: %s must be an object", key);
    *out = v;
    return SB_OK;
}

static sb_err get_https(json_t *obj, const char *key, const char *path, bool required,
                        const char **out, struct sb_diag *diag)
{
    sb_err err = get_str(obj, key, path, required, 0, out, diag);

    if (!err && *out && !is_https_url(*out))
        return FAIL("manifest.json: %s must be an https URL", path);
    return err;
}

/* graphConnector.notificationUrl may also be http: Switchboard delivers to it only over https,
 * or over http to a host:port the administrator lists in outboundAllowedHosts (net/fetch.h). */
static sb_err get_notification_url(json_t *obj, const char **out, struct sb_diag *diag)
{
    static const char path[] = "graphConnector.notificationUrl";
    sb_err err = get_str(obj, "notificationUrl", path, true, 0, out, diag);

    if (err)
        return err;
    if (!is_web_url(*out))
        return FAIL("manifest.json: %s must be an https (or http) URL", path);
    return SB_OK;
}

static sb_err check_connectors(json_t *m, struct package_info *out, struct sb_diag *diag)
{
    json_t *arr = json_object_get(m, "connectors");
    const char *s;
    sb_err err;

    if (!arr || json_is_null(arr))
        return SB_OK;
    if (!json_is_array(arr))
        return FAIL("manifest.json: connectors must be an array");
    if (json_array_size(arr) > 1)
        return FAIL("manifest.json: connectors must hold at most 1 connector");
    if (json_array_size(arr) == 0)
        return SB_OK;
    json_t *c = json_array_get(arr, 0), *scopes;

    if (!json_is_object(c))
        return FAIL("manifest.json: connectors[0] must be an object");
    if ((err = get_str(c, "connectorId", "connectors[0].connectorId", true, 0, &s, diag)))
        return err;
    if (!is_guid(s))
        return FAIL("manifest.json: connectors[0].connectorId must be a GUID");
    snprintf(out->connector_id, sizeof(out->connector_id), "%s", s);
    lower(out->connector_id);
    if ((err =
             get_str(c, "configurationUrl", "connectors[0].configurationUrl", false, 0, &s, diag)))
        return err;
    if (s && !is_web_url(s))
        return FAIL("manifest.json: connectors[0].configurationUrl must be an https URL");
    if (s)
        snprintf(out->configuration_url, sizeof(out->configuration_url), "%s", s);
    scopes = json_object_get(c, "scopes");
    if (!scopes)
        return FAIL("manifest.json: connectors[0].scopes is required");
    if (!json_is_array(scopes) || json_array_size(scopes) == 0)
        return FAIL("manifest.json: connectors[0].scopes must be a non-empty array");
    for (size_t i = 0; i < json_array_size(scopes); i++)
        if (!json_is_string(json_array_get(scopes, i)) ||
            strcmp(json_string_value(json_array_get(scopes, i)), "team") != 0)
            return FAIL("manifest.json: connectors[0].scopes may only contain \"team\"");
    out->has_connector = true;
    return SB_OK;
}

static sb_err check_domains(json_t *m, struct package_info *out, struct sb_diag *diag)
{
    json_t *arr = json_object_get(m, "validDomains");

    if (!arr || json_is_null(arr))
        return SB_OK;
    if (!json_is_array(arr))
        return FAIL("manifest.json: validDomains must be an array");
    if (json_array_size(arr) > PACKAGE_DOMAINS_MAX)
        return FAIL("manifest.json: validDomains must hold at most %d domains",
                    PACKAGE_DOMAINS_MAX);
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *d = json_array_get(arr, i);

        if (!json_is_string(d) || !net_url_domain_pattern_ok(json_string_value(d)))
            return FAIL("manifest.json: validDomains[%zu] must be a host name or *.host "
                        "(no scheme, port or path)",
                        i);
        snprintf(out->valid_domains[i], sizeof(out->valid_domains[i]), "%s", json_string_value(d));
        out->valid_domain_count = i + 1;
    }
    return SB_OK;
}

static sb_err check_manifest(json_t *m, struct package_info *out, struct sb_diag *diag)
{
    json_t *name, *desc, *dev, *gc;
    const char *s;
    sb_err err;

#define STR(obj, key, path, req, max)                                                              \
    if ((err = get_str(obj, key, path, req, max, &s, diag)))                                       \
    return err
    STR(m, "manifestVersion", "manifestVersion", true, 0);
    if (!is_manifest_version(s))
        return FAIL("manifest.json: manifestVersion must be one of 1.5 to 1.17 or devPreview");
    snprintf(out->manifest_version, sizeof(out->manifest_version), "%s", s);
    STR(m, "id", "id", true, 0);
    if (!is_guid(s))
        return FAIL("manifest.json: id must be a GUID");
    snprintf(out->id, sizeof(out->id), "%s", s);
    lower(out->id);
    STR(m, "version", "version", true, 0);
    if (!is_version(s))
        return FAIL("manifest.json: version must be digits.digits.digits, e.g. 1.0.0");
    snprintf(out->version, sizeof(out->version), "%s", s);

    if ((err = get_obj(m, "name", true, &name, diag)))
        return err;
    STR(name, "short", "name.short", true, 30);
    snprintf(out->short_name, sizeof(out->short_name), "%s", s);
    STR(name, "full", "name.full", false, 100);
    if (s)
        snprintf(out->full_name, sizeof(out->full_name), "%s", s);

    if ((err = get_obj(m, "description", true, &desc, diag)))
        return err;
    STR(desc, "short", "description.short", true, 80);
    snprintf(out->short_description, sizeof(out->short_description), "%s", s);
    STR(desc, "full", "description.full", true, 4000);
    if (!(out->full_description = strdup(s)))
        return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");

    if ((err = get_obj(m, "developer", true, &dev, diag)))
        return err;
    STR(dev, "name", "developer.name", true, 32);
    snprintf(out->developer_name, sizeof(out->developer_name), "%s", s);
    if ((err = get_https(dev, "websiteUrl", "developer.websiteUrl", true, &s, diag)))
        return err;
    snprintf(out->developer_website, sizeof(out->developer_website), "%s", s);
    if ((err = get_https(dev, "privacyUrl", "developer.privacyUrl", true, &s, diag)) ||
        (err = get_https(dev, "termsOfUseUrl", "developer.termsOfUseUrl", true, &s, diag)))
        return err;

    STR(m, "accentColor", "accentColor", true, 0);
    if (!is_color(s))
        return FAIL("manifest.json: accentColor must be #RRGGBB");
    snprintf(out->accent_color, sizeof(out->accent_color), "%s", s);
#undef STR

    if ((err = check_connectors(m, out, diag)))
        return err;
    if ((err = get_obj(m, "graphConnector", false, &gc, diag)))
        return err;
    if (gc) {
        /* Teams sends connector notifications only to apps of manifest 1.13 or later. */
        if (strcmp(out->manifest_version, "devPreview") != 0 &&
            atoi(out->manifest_version + 2) < 13)
            return FAIL("manifest.json: graphConnector needs manifestVersion 1.13 or later");
        if ((err = get_notification_url(gc, &s, diag)))
            return err;
        snprintf(out->notification_url, sizeof(out->notification_url), "%s", s);
        out->has_graph_connector = true;
    }
    if ((err = get_obj(m, "webApplicationInfo", false, &gc, diag)))
        return err;
    if (gc) {
        if ((err = get_str(gc, "id", "webApplicationInfo.id", true, 0, &s, diag)))
            return err;
        if (!is_guid(s))
            return FAIL("manifest.json: webApplicationInfo.id must be a GUID");
        snprintf(out->web_app_id, sizeof(out->web_app_id), "%s", s);
        lower(out->web_app_id);
    }
    return check_domains(m, out, diag);
}

/* ---- icons ---- */

static sb_err check_icon(struct pkg *pk, json_t *icons, const char *key, unsigned size,
                         unsigned char **keep, size_t *keep_len, struct sb_diag *diag)
{
    char path[32], pb[72];
    const char *file;
    unsigned char *png;
    size_t len;
    sb_err err;

    snprintf(path, sizeof(path), "icons.%s", key);
    if ((err = get_str(icons, key, path, true, 0, &file, diag)))
        return err;
    zip_int64_t i = find_entry(pk, file);

    if (i < 0)
        return FAIL("manifest.json: %s names %s, which is not in the package", path,
                    printable(file, pb));
    if ((err = read_entry(pk, i, &png, &len, diag)))
        return err;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    if (len < 33 || memcmp(png, sig, 8) != 0 || memcmp(png + 12, "IHDR", 4) != 0) {
        free(png);
        return FAIL("manifest.json: %s (%s) must be a PNG image", path, printable(file, pb));
    }
    uint32_t w =
        (uint32_t)png[16] << 24 | (uint32_t)png[17] << 16 | (uint32_t)png[18] << 8 | png[19];
    uint32_t h =
        (uint32_t)png[20] << 24 | (uint32_t)png[21] << 16 | (uint32_t)png[22] << 8 | png[23];

    if (w != size || h != size) {
        free(png);
        return FAIL("manifest.json: %s must be %ux%u pixels, not %ux%u", path, size, size,
                    (unsigned)w, (unsigned)h);
    }
    if (keep) {
        *keep = png;
        *keep_len = len;
    } else {
        free(png);
    }
    return SB_OK;
}

/* ---- entry point ---- */

static sb_err validate(struct pkg *pk, const void *zip, size_t len, struct package_info *out,
                       struct sb_diag *diag)
{
    zip_error_t zerr;
    zip_source_t *src;
    sb_err err;

    if (len == 0)
        return FAIL("the package is empty");
    if (len > PACKAGE_MAX_BYTES)
        return sb_fail(diag, SB_ERR_TOO_LARGE, CODE, "the package must be at most 1 MiB");
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
    if ((err = check_entries(pk, diag)))
        return err;

    zip_int64_t mi = find_entry(pk, MANIFEST);
    unsigned char *text;
    size_t text_len;
    json_error_t jerr;
    json_t *m, *icons;

    if (mi < 0)
        return FAIL("manifest.json is required at the root of the package");
    if ((err = read_entry(pk, mi, &text, &text_len, diag)))
        return err;
    size_t skip = text_len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;

    m = json_loadb((const char *)text + skip, text_len - skip,
                   JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
    free(text);
    if (!m)
        return FAIL("manifest.json is not valid JSON (line %d: %s)", jerr.line, jerr.text);
    if (!json_is_object(m)) {
        json_decref(m);
        return FAIL("manifest.json must be a JSON object");
    }
    if (!(err = check_manifest(m, out, diag)) && !(err = get_obj(m, "icons", true, &icons, diag)) &&
        !(err = check_icon(pk, icons, "color", 192, (unsigned char **)&out->color_icon,
                           &out->color_icon_len, diag)))
        err = check_icon(pk, icons, "outline", 32, NULL, NULL, diag);
    json_decref(m);
    return err;
}

sb_err package_validate(const void *zip, size_t len, struct package_info *out, struct sb_diag *diag)
{
    struct pkg *pk = calloc(1, sizeof(*pk));
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!pk)
        return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
    err = validate(pk, zip, len, out, diag);
    if (pk->za)
        zip_discard(pk->za);
    free(pk);
    if (err) {
        package_info_free(out);
        memset(out, 0, sizeof(*out));
    }
    return err;
}

void package_info_free(struct package_info *info)
{
    if (!info)
        return;
    free(info->full_description);
    free(info->color_icon);
    info->full_description = NULL;
    info->color_icon = NULL;
    info->color_icon_len = 0;
}
