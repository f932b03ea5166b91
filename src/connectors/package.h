/*
 * package.h: validating a Teams app package (a zip holding manifest.json and two icons) before
 * anything of it is stored. No HTTP and no store here: apps.c calls package_validate() on the
 * uploaded bytes and keeps what package_info holds. The rules are in docs/app-packages.md.
 *
 * Every refusal is SB_ERR_INVALID (SB_ERR_TOO_LARGE when the zip itself is over
 * PACKAGE_MAX_BYTES) with diag code "invalidPackage" and a message naming the entry or manifest
 * field and the rule, e.g. "manifest.json: developer.websiteUrl must be an https URL".
 */
#ifndef SB_PACKAGE_H
#define SB_PACKAGE_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>

#define PACKAGE_MAX_BYTES (1024 * 1024)     /* the zip itself */
#define PACKAGE_MAX_ENTRIES 32              /* files in the zip */
#define PACKAGE_ENTRY_MAX (1024 * 1024)     /* one entry, uncompressed */
#define PACKAGE_TOTAL_MAX (4 * 1024 * 1024) /* all entries, uncompressed */
#define PACKAGE_RATIO_MAX 100               /* uncompressed / compressed, per entry */
#define PACKAGE_DOMAINS_MAX 32              /* validDomains */
#define PACKAGE_URL_MAX 2048                /* bytes of any URL */

struct package_info {
    char manifest_version[16];   /* "1.5".."1.17" or "devPreview" */
    sb_id id;                    /* the manifest's id, lower-cased GUID */
    char version[32];            /* "1.0.0" */
    char short_name[30 * 4 + 1]; /* name.short, <= 30 characters */
    char full_name[100 * 4 + 1]; /* name.full, "" when absent */
    char short_description[80 * 4 + 1];
    char *full_description;          /* heap, <= 4000 characters */
    char developer_name[32 * 4 + 1]; /* <= 32 characters */
    char developer_website[PACKAGE_URL_MAX + 1];
    char accent_color[8]; /* "#RRGGBB" */
    bool has_connector;
    sb_id connector_id;                          /* lower-cased; "" without a connector */
    char configuration_url[PACKAGE_URL_MAX + 1]; /* "" when absent */
    bool has_graph_connector;                    /* needs manifestVersion 1.13 or later */
    char notification_url[PACKAGE_URL_MAX + 1];  /* graphConnector.notificationUrl */
    sb_id web_app_id; /* webApplicationInfo.id, lower-cased; "" when absent */
    size_t valid_domain_count;
    char valid_domains[PACKAGE_DOMAINS_MAX][254];
    void *color_icon; /* heap: the PNG bytes of icons.color (192x192) */
    size_t color_icon_len;
};

/* Validates the package zip[0..len) and fills *out (zeroed first, and zeroed again on failure:
 * nothing to free then). On success the caller owns out and releases it with
 * package_info_free(). */
sb_err package_validate(const void *zip, size_t len, struct package_info *out,
                        struct sb_diag *diag);

/* The manifest's own rules, for those who write manifests (registration.c): an https URL with
 * a host that net_url_parse accepts (package_http_url: the same with http, which configuration
 * pages of hosts in outboundAllowedHosts may use); a host name or "*." and one
 * (net_url_domain_pattern_ok). */
bool package_https_url(const char *s);
bool package_http_url(const char *s);
bool package_domain(const char *s);

/* Frees what package_validate allocated; safe on a zeroed or already freed struct. */
void package_info_free(struct package_info *info);

#endif
