/*
 * configs.h: configurations of connector apps on a channel, as Teams' connector flow makes them.
 *
 * The configuration-page host creates one when the vendor's page saves (the page set entityId,
 * configName, contentUrl and maybe removeUrl with settings.setSettings), loads contentUrl again
 * to edit it and removeUrl to remove it. A configuration posts like an incoming webhook: it has
 * the same URLs, and getSettings hands the page its webhookUrl.
 *
 * Rules: the app must be in the organisation catalog or uploaded to the channel's team,
 * custom apps must be allowed in the cloud environment, retired connectors get no new
 * configurations, and contentUrl/removeUrl must be on a domain in the app's validDomains, over
 * https (plain http only for hosts in outboundAllowedHosts, as every outbound request).
 */
#ifndef SB_CONFIGS_H
#define SB_CONFIGS_H

#include "auth/auth.h"
#include "model/connectors.h"
#include "model/teams.h"

#include <jansson.h>

#define CONFIG_ENTITY_ID_MAX 256
#define CONFIG_URL_MAX 2048

/* A create sets every field that is not NULL; an update changes only the fields not NULL. */
struct config_fields {
    const char *config_name;
    const char *entity_id;
    const char *content_url;
    const char *remove_url; /* "" removes it on update */
};

/* Creates a connector app's configuration with its "connector.create" audit entry, in one
 * transaction. */
sb_err config_create(struct sb_ctx *ctx, const struct sb_principal *who,
                     const struct sb_channel *ch, const char *connector_id,
                     const struct config_fields *f, const char *app_type, struct sb_connector *out,
                     struct sb_diag *diag);

/* Changes the configuration (and its name, f->config_name) with its "connector.update" audit
 * entry by who, in one transaction. */
sb_err config_update(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_connector *cc,
                     const struct config_fields *f, struct sb_diag *diag);

/* The stored settings: {appId, entityId, contentUrl, removeUrl?}. */
sb_err config_settings(struct sb_ctx *ctx, const struct sb_connector *cc, json_t **out);

/* Whether url (http or https) may be loaded for an app with these validDomains (JSON array
 * text): the host matches an entry ("x.y" exactly, "*.y" any subdomain), and plain http is
 * used only for hosts in outboundAllowedHosts. why says what is wrong when it is not. */
bool config_url_allowed(struct sb_ctx *ctx, const char *valid_domains, const char *url, char *why,
                        size_t why_cap);

/* Whether host (lower-case, IPv6 without brackets) matches one of an app's validDomains
 * (JSON array text: "host", "*.host" for its subdomains, optionally with ":port"). The one
 * validDomains rule: configuration pages and card-action targets both use it. */
bool config_domain_listed(const char *valid_domains, const char *host, int port);

/* Whether the URL's host:port is in outboundAllowedHosts (where plain http is allowed). */
bool config_http_host_allowed(struct sb_ctx *ctx, const char *url);

/* Splits an http(s) URL: scheme "http"/"https", lower-cased host, port (default by scheme) and
 * the path with query ("/" when empty). False when it is not such a URL (user info, IPv6
 * literals, control characters and bad ports are refused). */
bool config_url_split(const char *url, char *scheme, size_t scheme_cap, char *host, size_t host_cap,
                      int *port, const char **path);

#endif
