/*
 * registration_package.c: generating a registered connector's app package with libzip, in
 * memory: manifest.json, color.png and outline.png (deflated). What it writes must pass
 * package_validate(); registration.c checks every input against the same rules first.
 */
#include "connectors/registration.h"

#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

/* A white rounded frame with a dot, on transparent: 32x32 RGBA. */
static const unsigned char default_outline[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x20, 0x08, 0x06, 0x00, 0x00, 0x00, 0x73, 0x7a, 0x7a,
    0xf4, 0x00, 0x00, 0x00, 0x43, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0xed, 0xd7, 0xdb, 0x09, 0x00,
    0x30, 0x08, 0x03, 0x40, 0xf7, 0x5f, 0xba, 0x1d, 0xa1, 0x05, 0xfb, 0x10, 0xb9, 0x2c, 0xe0, 0xe1,
    0x47, 0x20, 0x11, 0x52, 0x2d, 0xe3, 0x72, 0xbe, 0x1e, 0x5f, 0x22, 0xb6, 0x94, 0x07, 0xbe, 0x0b,
    0x00, 0x00, 0x90, 0x02, 0x64, 0x8a, 0x06, 0x00, 0x00, 0xa0, 0x07, 0x40, 0x13, 0x02, 0x00, 0x3c,
    0x01, 0xb4, 0xde, 0x06, 0xa6, 0x5f, 0xb9, 0x4c, 0x2b, 0x8f, 0xec, 0x3e, 0xf0, 0xd4, 0xdf, 0x4f,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

void registration_default_outline(const void **png, size_t *len)
{
    *png = default_outline;
    *len = sizeof(default_outline);
}

#define DEVELOPER_NAME_MAX 32 /* characters of the manifest's developer.name */

/* The host of an https URL (validated), at most 32 characters (not bytes: a host may be written
 * in any script): the manifest's developer.name is limited to 32 and the dashboard asks for a
 * website, not a company name. */
static void website_host(const char *url, char out[DEVELOPER_NAME_MAX * 4 + 1])
{
    char host[256];
    const char *p = url + 8, *at;
    size_t n = strcspn(p, "/?#");

    at = memchr(p, '@', n);
    if (at) {
        n -= (size_t)(at + 1 - p);
        p = at + 1;
    }
    if (p[0] != '[') {
        const char *colon = memchr(p, ':', n);

        if (colon)
            n = (size_t)(colon - p);
    }
    /* host is cut at 255 bytes at most, far past 32 characters of at most 4 bytes. */
    snprintf(host, sizeof(host), "%.*s", (int)(n < sizeof(host) ? n : sizeof(host) - 1), p);
    snprintf(out, DEVELOPER_NAME_MAX * 4 + 1, "%.*s",
             (int)sb_utf8_prefix_chars(host, DEVELOPER_NAME_MAX), host);
}

static json_t *manifest(const struct sb_registration *r)
{
    char developer[DEVELOPER_NAME_MAX * 4 + 1];
    json_t *domains = json_loads(r->valid_domains, 0, NULL), *m;

    if (!json_is_array(domains)) {
        json_decref(domains);
        return NULL;
    }
    website_host(r->website_url, developer);
    m = json_pack(
        "{s:s,s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:{s:s,s:s},s:{s:s,s:s},"
        "s:{s:s,s:s},s:s,s:[{s:s,s:s,s:[s]}],s:o}",
        "$schema",
        "https://developer.microsoft.com/en-us/json-schemas/teams/v" REGISTRATION_MANIFEST_VERSION
        "/MicrosoftTeams.schema.json",
        "manifestVersion", REGISTRATION_MANIFEST_VERSION, "version", r->version, "id", r->app_id,
        "developer", "name", developer, "websiteUrl", r->website_url, "privacyUrl", r->website_url,
        "termsOfUseUrl", r->website_url, "name", "short", r->name, "full", r->name, "description",
        "short", r->short_description, "full", r->long_description, "icons", "color", "color.png",
        "outline", "outline.png", "accentColor", "#FFFFFF", "connectors", "connectorId", r->id,
        "configurationUrl", r->configuration_url, "scopes", "team", "validDomains", domains);
    return m;
}

/* Adds name with a copy of data[0..len) (libzip reads it at zip_close). */
static int add(zip_t *za, const char *name, const void *data, size_t len)
{
    zip_source_t *s = zip_source_buffer(za, data, len, 0);

    if (!s)
        return -1;
    if (zip_file_add(za, name, s, ZIP_FL_ENC_UTF_8) < 0) {
        zip_source_free(s);
        return -1;
    }
    return 0;
}

sb_err registration_package_build(const struct sb_registration *r, const void *logo,
                                  size_t logo_len, const void *outline, size_t outline_len,
                                  void **zip, size_t *len)
{
    json_t *m = manifest(r);
    char *text = m ? json_dumps(m, JSON_INDENT(2)) : NULL;
    zip_source_t *src = NULL;
    zip_t *za = NULL;
    zip_stat_t st;
    zip_error_t zerr;
    void *buf = NULL;
    sb_err err = SB_ERR_NOMEM;

    *zip = NULL;
    *len = 0;
    zip_error_init(&zerr);
    if (!text || !(src = zip_source_buffer_create(NULL, 0, 0, &zerr)))
        goto out;
    /* The archive is written into src; keep src alive past zip_close to read it back. */
    zip_source_keep(src);
    if (!(za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr)))
        goto out;
    if (add(za, "manifest.json", text, strlen(text)) || add(za, "color.png", logo, logo_len) ||
        add(za, "outline.png", outline, outline_len))
        goto out;
    if (zip_close(za) != 0)
        goto out;
    za = NULL;
    if (zip_source_stat(src, &st) != 0 || zip_source_open(src) != 0)
        goto out;
    if (st.size > 0 && (buf = malloc(st.size)) &&
        zip_source_read(src, buf, st.size) == (zip_int64_t)st.size) {
        *zip = buf;
        *len = st.size;
        buf = NULL;
        err = SB_OK;
    }
    zip_source_close(src);
out:
    if (za)
        zip_discard(za);
    if (src)
        zip_source_free(src);
    zip_error_fini(&zerr);
    free(buf);
    free(text);
    json_decref(m);
    return err;
}
