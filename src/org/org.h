/*
 * org.h: organisation policy. Each setting is stored only when an administrator set it
 * explicitly ("not set" otherwise); its effective value then comes from the cloud environment:
 *
 *   setting                              not set in commercial / DoD   not set in GCC / GCCH
 *   connectorsEnabled                    true                          false
 *   connectorsEnabledForTeams            true                          false
 *   connectorsActionableMessagesEnabled  true                          false
 *   cloudEnvironment                     "commercial"
 *   outboundAllowedHosts                 []
 *   webhookUrlFormat                     "v2" (signed URLs; "legacy" for unsigned)
 *   legacyWebhookUrlCutoff               null (legacy URLs accepted)
 *   developersMayRegisterConnectors      false (in every cloud: only administrators register
 *                                        connectors in the Connector Developer Dashboard)
 *   unsignedWebhookUrlsAccepted          true (in every cloud: the unsigned URL forms
 *                                        /webhookb2/.../{creator} and /webhook/... reach their
 *                                        webhook; false refuses them with 410, legacy-format
 *                                        webhooks included)
 *
 * Custom connector apps can be uploaded and configured only in the commercial cloud (the
 * read-only `customConnectorsAllowed`). Teams have connectors when the organisation's
 * connectorsEnabled and connectorsEnabledForTeams are both on and the team's own switch is not
 * off: the organisation wins over the group.
 *
 * Reads go through a small cache in the context that is refreshed at most every
 * ORG_CACHE_MS, so changes made by another process (`switchboard admin`) apply within a second
 * and changes made here apply at once.
 */
#ifndef SB_ORG_H
#define SB_ORG_H

#include "core/sb.h"
#include "net/fetch.h"
#include "model/audit.h"
#include "model/teams.h"

#include <jansson.h>
#include <pthread.h>
#include <stdbool.h>

#define ORG_CACHE_MS 500

enum org_cloud { ORG_COMMERCIAL, ORG_GCC, ORG_GCCH, ORG_DOD };

struct org_settings {
    int cloud;                    /* enum org_cloud */
    bool connectors_enabled;      /* effective connectorsEnabled */
    bool connectors_for_teams;    /* effective connectorsEnabledForTeams */
    bool actionable_enabled;      /* effective connectorsActionableMessagesEnabled */
    bool custom_apps_allowed;     /* custom connector apps may be uploaded and configured */
    bool webhook_url_legacy;      /* new webhooks get legacy URLs */
    int64_t legacy_cutoff_ms;     /* 0 = no cutoff */
    bool developers_may_register; /* effective developersMayRegisterConnectors */
    bool unsigned_urls_accepted;  /* effective unsignedWebhookUrlsAccepted */
};

/* The process's cached copy (one per server, owned by main). */
struct org_cache {
    pthread_mutex_t mu;
    bool valid;
    uint64_t generation; /* bumped by every local change, so a slow reload cannot undo it */
    int64_t loaded_ms;
    struct org_settings value;
};

sb_err org_cache_init(struct org_cache *c);
void org_cache_destroy(struct org_cache *c);

sb_err org_settings_get(struct sb_ctx *ctx, struct org_settings *out);

/* Whether connectors are on for this team, with the reason when they are not (for messages). */
bool org_team_connectors_enabled(const struct org_settings *org, const struct sb_team *team,
                                 const char **why);

/* The organisation resource: effective values, tenantId, `customConnectorsAllowed` and
 * `explicitSettings` (the names an administrator set). */
sb_err org_settings_render(struct sb_ctx *ctx, json_t **out);

/* Applies a PATCH body: known names only; null returns a setting to "not set". Validates
 * everything before changing anything; every setting and the audit entry of the change are
 * written in one transaction. */
sb_err org_settings_patch(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                          json_t *patch, struct sb_diag *diag);

/* Sets the group-level switch of a team (-1 not set, 0 off, 1 on), audited in the same
 * transaction. */
sb_err org_team_switch(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                       const char *team_id, int enabled, struct sb_diag *diag);

/* Whether host:port is named in outboundAllowedHosts (src/org/outbound.c). host is a name or
 * an address; an IPv6 literal with or without brackets. An entry "host:port" allows that port,
 * an entry "host" every port. Names compare case-insensitively. Read from the store on every
 * call (outbound calls run on worker threads, and a changed list must apply at once). */
sb_err org_outbound_allowed(struct sb_ctx *ctx, const char *host, int port, bool *allowed);
/* The outbound policy now (outboundAllowedHosts), for fetch_do and fetch_precheck: read it just
 * before the call. Release with org_fetch_policy_free. */
sb_err org_fetch_policy(struct sb_ctx *ctx, struct fetch_policy *out);
void org_fetch_policy_free(struct fetch_policy *p);

/* Fills *out with the same entry without writing it, for a store function that writes it in
 * the transaction of the change it records; release with org_audit_entry_free. */
sb_err org_audit_entry(struct sb_ctx *ctx, const char *actor_id, const char *actor_name,
                       const char *action, const char *target, json_t *before, json_t *after,
                       struct sb_audit *out);
void org_audit_entry_free(struct sb_audit *a);
/* A page of the audit log, newest first, entries with seq below before (0: from the newest)
 * that match filter (may be NULL).
 * No permission check: admin/ asks it for the API. Release with org_audit_free_array. */
sb_err org_audit_page(struct sb_ctx *ctx, int64_t before, const struct sb_audit_filter *filter,
                      size_t limit, struct sb_audit **out, size_t *n);
void org_audit_free_array(struct sb_audit *list, size_t n);

#endif
