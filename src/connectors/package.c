/*
 * package.c: package_validate(), the app package (zip + manifest.json + icons) validator.
 *
 * Order: the zip's size and entry list (names, kinds, declared sizes, duplicates), then the
 * manifest (read with byte counting, so that a lying declared size cannot inflate it past the
 * limits), then the two icons. Only manifest.json and the icons are ever decompressed. The zip
 * half is package_zip.c.
 */
#include "connectors/package.h"
#include "connectors/package_zip.h"

#include "net/url.h"

#include "core/utf8.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MANIFEST "manifest.json"

/* ---- small checks ---- */

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
    if (max && sb_utf8_chars(s) > max)
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
    zip_int64_t i = package_zip_find(pk, file);

    if (i < 0)
        return FAIL("manifest.json: %s names %s, which is not in the package", path,
                    package_printable(file, pb));
    if ((err = package_zip_read(pk, i, &png, &len, diag)))
        return err;
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    if (len < 33 || memcmp(png, sig, 8) != 0 || memcmp(png + 12, "IHDR", 4) != 0) {
        free(png);
        return FAIL("manifest.json: %s (%s) must be a PNG image", path,
                    package_printable(file, pb));
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
    sb_err err;

    if ((err = package_zip_open(pk, zip, len, diag)))
        return err;

    zip_int64_t mi = package_zip_find(pk, MANIFEST);
    unsigned char *text;
    size_t text_len;
    json_error_t jerr;
    json_t *m, *icons;

    if (mi < 0)
        return FAIL("manifest.json is required at the root of the package");
    if ((err = package_zip_read(pk, mi, &text, &text_len, diag)))
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
