/*
 * dispatch.c: the route table, authentication, CSRF protection and the metrics of every
 * request. Adding an endpoint means one line in `routes` and a handler. Every answer on a
 * webhook path carries a fresh `request-id`, as the real service's do (decorate).
 */
#include "api/api.h"

#include "connectors/apphost.h"
#include "connectors/apps.h"
#include "graphconn/graphconn.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "http/router.h"
#include "http/static.h"
#include "services/services.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    API_PUBLIC = 1,     /* no authentication */
    API_WEBHOOK = 2,    /* body limit --max-payload; the handler answers oversized bodies itself */
    API_PACKAGE = 4,    /* body limit APPS_PACKAGE_MAX (an app package zip) */
    API_APPHOST = 8,    /* a request to an app's sandbox origin (apphost.h), not to the API */
    API_SERVICE = 16,   /* body limit SERVICE_BODY_MAX (a service's native webhook payload) */
    API_ITEM = 32,      /* body limit GC_ITEM_BYTES_MAX (a Graph connector's external item) */
    API_PW_CHANGE = 64, /* open to a caller whose password must be changed first (contract §6:
                           every other call is 403 until changePassword succeeds) */
};

struct api_route {
    api_handler fn;
    unsigned flags;
    api_handler pre; /* public routes: runs before the body is read and may answer already */
};

#define R(method, pattern, fn, flags)                                                              \
    {                                                                                              \
        method, pattern, &(const struct api_route)                                                 \
        {                                                                                          \
            fn, flags, NULL                                                                        \
        }                                                                                          \
    }
#define RP(method, pattern, fn, pre, flags)                                                        \
    {                                                                                              \
        method, pattern, &(const struct api_route)                                                 \
        {                                                                                          \
            fn, flags, pre                                                                         \
        }                                                                                          \
    }

static const struct http_route routes[] = {
    R("GET", "/healthz", api_healthz, API_PUBLIC),
    R("GET", "/readyz", api_readyz, API_PUBLIC),
    R("GET", "/metrics", api_metrics, API_PUBLIC),
    R("GET", "/.well-known/openid-configuration", api_openid_configuration, API_PUBLIC),
    R("GET", "/{tenant}/v2.0/.well-known/openid-configuration", api_openid_configuration_tenant,
      API_PUBLIC),
    R("GET", "/.well-known/jwks.json", api_jwks, API_PUBLIC),
    R("POST", "/{tenant}/oauth2/v2.0/token", api_oauth_token, API_PUBLIC),
    R("POST", "/api/v1/messages/{message}/actions", api_message_action, 0),
    R("GET", "/api/v1/actionExecutions/{execution}", api_action_execution_get, 0),
    R("GET", "/api/v1/teams/{team}/feed", api_team_feed, 0),
    R("POST", "/api/v1/tokens", api_token_create, API_PUBLIC),
    R("POST", "/api/v1/session", api_session_create, API_PUBLIC),
    R("GET", "/api/v1/auth/providers", api_auth_providers, API_PUBLIC),
    R("GET", "/api/v1/auth/oidc/start", api_oidc_start, API_PUBLIC),
    R("GET", "/api/v1/auth/oidc/callback", api_oidc_callback, API_PUBLIC),
    R("DELETE", "/api/v1/session", api_session_delete, API_PW_CHANGE),
    R("GET", "/api/v1/session", api_session_get, API_PW_CHANGE),
    R("GET", "/api/v1/tokens", api_token_list, 0),
    R("DELETE", "/api/v1/tokens/{id}", api_token_delete, 0),
    R("GET", "/api/v1/me/sessions", api_my_session_list, 0),
    R("DELETE", "/api/v1/me/sessions", api_my_sessions_end, API_PW_CHANGE),
    R("DELETE", "/api/v1/me/sessions/{id}", api_my_session_delete, 0),
    R("POST", "/v1.0/me/changePassword", api_change_password, API_PW_CHANGE),
    R("GET", "/api/v1/me/channelStates", api_channel_states, 0),
    R("GET", "/api/v1/bootstrap", api_bootstrap, 0),
    R("PUT", "/api/v1/channels/{channel}/readState", api_read_state_put, 0),
    R("GET", "/v1.0/me", api_me, 0),
    R("GET", "/v1.0/me/joinedTeams", api_joined_teams, 0),
    R("GET", "/v1.0/users", api_user_list, 0),
    R("POST", "/v1.0/users", api_user_create, 0),
    R("GET", "/v1.0/users/{id}", api_user_get, 0),
    R("PATCH", "/v1.0/users/{id}", api_user_patch, 0),
    R("DELETE", "/v1.0/users/{id}", api_user_delete, 0),
    R("GET", "/v1.0/teams", api_team_list, 0),
    R("POST", "/v1.0/teams", api_team_create, 0),
    R("GET", "/v1.0/teams/{team}", api_team_get, 0),
    R("PATCH", "/v1.0/teams/{team}", api_team_patch, 0),
    R("GET", "/v1.0/teams/{team}/channels", api_channel_list, 0),
    R("POST", "/v1.0/teams/{team}/channels", api_channel_create, 0),
    R("GET", "/v1.0/teams/{team}/channels/{channel}", api_channel_get, 0),
    R("GET", "/v1.0/teams/{team}/members", api_member_list, 0),
    R("POST", "/v1.0/teams/{team}/members", api_member_add, 0),
    R("GET", "/v1.0/teams/{team}/members/{member}", api_member_get, 0),
    R("DELETE", "/v1.0/teams/{team}/members/{member}", api_member_remove, 0),
    R("PATCH", "/v1.0/teams/{team}/members/{member}", api_member_patch, 0),
    R("GET", "/v1.0/teams/{team}/channels/{channel}/messages", api_message_list, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages", api_message_post, 0),
    R("GET", "/v1.0/teams/{team}/channels/{channel}/messages/{message}", api_message_get, 0),
    R("PATCH", "/v1.0/teams/{team}/channels/{channel}/messages/{message}", api_message_patch, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/softDelete",
      api_message_soft_delete, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/undoSoftDelete",
      api_message_undo_soft_delete, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/setReaction",
      api_message_set_reaction, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/unsetReaction",
      api_message_unset_reaction, 0),
    R("GET", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies", api_reply_list, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies", api_reply_post,
      0),
    R("GET", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}",
      api_reply_get, 0),
    R("PATCH", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}",
      api_message_patch, 0),
    R("POST", "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}/softDelete",
      api_message_soft_delete, 0),
    R("POST",
      "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}/undoSoftDelete",
      api_message_undo_soft_delete, 0),
    R("POST",
      "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}/setReaction",
      api_message_set_reaction, 0),
    R("POST",
      "/v1.0/teams/{team}/channels/{channel}/messages/{message}/replies/{reply}/unsetReaction",
      api_message_unset_reaction, 0),
    R("POST", "/api/v1/channels/{channel}/webhooks", api_webhook_create, 0),
    R("GET", "/api/v1/channels/{channel}/connectors", api_connector_list, 0),
    R("POST", "/api/v1/channels/{channel}/connectors", api_connector_create, 0),
    R("GET", "/api/v1/channels/{channel}/connectorCatalog", api_connector_catalog, 0),
    R("GET", "/api/v1/connectors/{id}", api_connector_get, 0),
    R("PATCH", "/api/v1/connectors/{id}", api_connector_patch, 0),
    R("DELETE", "/api/v1/connectors/{id}", api_connector_delete, 0),
    R("GET", "/api/v1/connectors/{id}/deliveries", api_connector_deliveries, 0),
    R("GET", "/api/v1/connectors/{id}/image", api_connector_image, 0),
    R("POST", "/api/v1/webhooks/{id}/updateUrl", api_webhook_update_url, 0),
    R("POST", "/api/v1/channels/{channel}/serviceConnectors", api_service_create, 0),
    R("POST", "/api/v1/serviceConnectors/preview", api_service_preview, 0),
    R("GET", "/api/v1/channels/{channel}/forwards", api_forward_list, 0),
    R("POST", "/api/v1/channels/{channel}/forwards", api_forward_create, 0),
    R("GET", "/api/v1/forwards/{id}", api_forward_get, 0),
    R("PATCH", "/api/v1/forwards/{id}", api_forward_patch, 0),
    R("DELETE", "/api/v1/forwards/{id}", api_forward_delete, 0),
    R("GET", "/api/v1/forwards/{id}/deliveries", api_forward_deliveries, 0),
    R("POST", "/api/v1/forwards/{id}/deliveries/{delivery}/retry", api_forward_retry, 0),
    R("POST", "/api/v1/translate", api_translate, 0),
    R("GET", "/api/v1/admin/organization", api_org_get, 0),
    R("PATCH", "/api/v1/admin/organization", api_org_patch, 0),
    R("PATCH", "/api/v1/admin/teams/{team}", api_admin_team_patch, 0),
    R("GET", "/api/v1/admin/audit", api_admin_audit, 0),
    R("GET", "/api/v1/admin/teams", api_admin_teams, 0),
    R("GET", "/api/v1/admin/impact", api_admin_impact, 0),
    R("GET", "/api/v1/admin/apps", api_admin_apps, 0),
    R("PATCH", "/api/v1/admin/apps/{id}", api_admin_app_patch, 0),
    R("GET", "/api/v1/events", api_events, 0),
    R("POST", "/api/v1/admin/applications", api_application_create, 0),
    R("GET", "/api/v1/admin/applications", api_application_list, 0),
    R("DELETE", "/api/v1/admin/applications/{id}", api_app_registration_delete, 0),
    R("POST", "/api/v1/admin/appRegistrations", api_app_registration_create, 0),
    R("GET", "/api/v1/admin/appRegistrations", api_app_registration_list, 0),
    R("DELETE", "/api/v1/admin/appRegistrations/{id}", api_app_registration_delete, 0),
    R("GET", "/api/v1/admin/graphConnectors", api_graph_connector_list, 0),
    R("PATCH", "/api/v1/admin/graphConnectors/{app}", api_graph_connector_patch, 0),
    R("POST", "/v1.0/appCatalogs/teamsApps", api_app_publish, API_PACKAGE),
    R("GET", "/v1.0/appCatalogs/teamsApps", api_app_list, 0),
    R("GET", "/v1.0/appCatalogs/teamsApps/{id}", api_app_get, 0),
    R("DELETE", "/v1.0/appCatalogs/teamsApps/{id}", api_app_delete, 0),
    R("GET", "/v1.0/appCatalogs/teamsApps/{id}/icon", api_app_icon, 0),
    R("POST", "/v1.0/teams/{team}/installedApps", api_team_app_upload, API_PACKAGE),
    R("POST", "/api/v1/connectorRegistrations", api_registration_create, API_PACKAGE),
    R("GET", "/api/v1/connectorRegistrations", api_registration_list, 0),
    R("GET", "/api/v1/connectorRegistrations/{id}", api_registration_get, 0),
    R("PATCH", "/api/v1/connectorRegistrations/{id}", api_registration_patch, API_PACKAGE),
    R("DELETE", "/api/v1/connectorRegistrations/{id}", api_registration_delete, 0),
    R("GET", "/api/v1/connectorRegistrations/{id}/package", api_registration_package, 0),
    R("POST", "/api/v1/connectorRegistrations/{id}/testCard", api_registration_test_card, 0),
    R("POST", "/v1.0/external/connections", api_ext_connection_create, 0),
    R("GET", "/v1.0/external/connections", api_ext_connection_list, 0),
    R("GET", "/v1.0/external/connections/{conn}", api_ext_connection_get, 0),
    R("PATCH", "/v1.0/external/connections/{conn}", api_ext_connection_patch, 0),
    R("DELETE", "/v1.0/external/connections/{conn}", api_ext_connection_delete, 0),
    R("PATCH", "/v1.0/external/connections/{conn}/schema", api_ext_schema_register, 0),
    R("POST", "/v1.0/external/connections/{conn}/schema", api_ext_schema_register, 0),
    R("GET", "/v1.0/external/connections/{conn}/schema", api_ext_schema_get, 0),
    R("GET", "/v1.0/external/connections/{conn}/operations/{op}", api_ext_operation_get, 0),
    R("PUT", "/v1.0/external/connections/{conn}/items/{item}", api_ext_item_put, API_ITEM),
    R("PATCH", "/v1.0/external/connections/{conn}/items/{item}", api_ext_item_patch, API_ITEM),
    R("GET", "/v1.0/external/connections/{conn}/items/{item}", api_ext_item_get, 0),
    R("DELETE", "/v1.0/external/connections/{conn}/items/{item}", api_ext_item_delete, 0),
    R("POST", "/v1.0/external/connections/{conn}/groups", api_ext_group_create, 0),
    R("GET", "/v1.0/external/connections/{conn}/groups/{group}", api_ext_group_get, 0),
    R("PATCH", "/v1.0/external/connections/{conn}/groups/{group}", api_ext_group_patch, 0),
    R("DELETE", "/v1.0/external/connections/{conn}/groups/{group}", api_ext_group_delete, 0),
    R("POST", "/v1.0/external/connections/{conn}/groups/{group}/members", api_ext_member_add, 0),
    R("GET", "/v1.0/external/connections/{conn}/groups/{group}/members", api_ext_member_list, 0),
    R("DELETE", "/v1.0/external/connections/{conn}/groups/{group}/members/{member}",
      api_ext_member_remove, 0),
    R("POST", "/v1.0/search/query", api_search_query, 0),
    R("GET", "/v1.0/tenantRelationships/{fn}", api_tenant_information, 0),
    R("POST", "/beta/external/connections", api_ext_connection_create, 0),
    R("GET", "/beta/external/connections", api_ext_connection_list, 0),
    R("GET", "/beta/external/connections/{conn}", api_ext_connection_get, 0),
    R("PATCH", "/beta/external/connections/{conn}", api_ext_connection_patch, 0),
    R("DELETE", "/beta/external/connections/{conn}", api_ext_connection_delete, 0),
    R("PATCH", "/beta/external/connections/{conn}/schema", api_ext_schema_register, 0),
    R("POST", "/beta/external/connections/{conn}/schema", api_ext_schema_register, 0),
    R("GET", "/beta/external/connections/{conn}/schema", api_ext_schema_get, 0),
    R("GET", "/beta/external/connections/{conn}/operations/{op}", api_ext_operation_get, 0),
    R("PUT", "/beta/external/connections/{conn}/items/{item}", api_ext_item_put, API_ITEM),
    R("PATCH", "/beta/external/connections/{conn}/items/{item}", api_ext_item_patch, API_ITEM),
    R("GET", "/beta/external/connections/{conn}/items/{item}", api_ext_item_get, 0),
    R("DELETE", "/beta/external/connections/{conn}/items/{item}", api_ext_item_delete, 0),
    R("POST", "/beta/external/connections/{conn}/groups", api_ext_group_create, 0),
    R("GET", "/beta/external/connections/{conn}/groups/{group}", api_ext_group_get, 0),
    R("PATCH", "/beta/external/connections/{conn}/groups/{group}", api_ext_group_patch, 0),
    R("DELETE", "/beta/external/connections/{conn}/groups/{group}", api_ext_group_delete, 0),
    R("POST", "/beta/external/connections/{conn}/groups/{group}/members", api_ext_member_add, 0),
    R("GET", "/beta/external/connections/{conn}/groups/{group}/members", api_ext_member_list, 0),
    R("DELETE", "/beta/external/connections/{conn}/groups/{group}/members/{member}",
      api_ext_member_remove, 0),
    R("POST", "/beta/search/query", api_search_query, 0),
    RP("POST", "/webhookb2/{tt}/IncomingWebhook/{key}/{creator}/{sig}", api_webhook_post_v2,
       api_webhook_check_v2, API_PUBLIC | API_WEBHOOK),
    RP("POST", "/webhookb2/{tt}/IncomingWebhook/{key}/{creator}", api_webhook_post_unsigned,
       api_webhook_check_unsigned, API_PUBLIC | API_WEBHOOK),
    RP("POST", "/webhook/{tt}/IncomingWebhook/{key}/{creator}", api_webhook_post_legacy,
       api_webhook_check_legacy, API_PUBLIC | API_WEBHOOK),
    RP("POST", "/workflows/{config}/triggers/manual/paths/invoke", api_webhook_post_workflow,
       api_webhook_check_workflow, API_PUBLIC | API_WEBHOOK),
    RP("POST", "/powerautomate/automations/direct/workflows/{config}/triggers/manual/paths/invoke",
       api_webhook_post_workflow, api_webhook_check_workflow, API_PUBLIC | API_WEBHOOK),
    RP("POST", "/connectors/{kind}/{config}/{sig}", api_service_post, api_service_check,
       API_PUBLIC | API_WEBHOOK | API_SERVICE),
};

/* Requests to a sandbox origin are matched by their Host header before any route. */
static const struct http_route apphost_route = {
    "*", "*", &(const struct api_route){NULL, API_APPHOST | API_PUBLIC, NULL}};

static bool safe_method(const char *m)
{
    return strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0;
}

/* Resolves the caller from a bearer token or the session cookie (only the cookie name of the
 * configured scheme: api_session_cookie). */
static sb_err authenticate(struct api_call *c, struct sb_principal *who)
{
    const char *authz = http_header(c->req, "Authorization");
    char cookie[128];
    sb_err err;

    if (authz) {
        if (strncasecmp(authz, "Bearer ", 7) != 0)
            return sb_fail(&c->diag, SB_ERR_UNAUTHORIZED, "InvalidAuthenticationToken",
                           "the Authorization header must be 'Bearer <token>'");
        /* A JWT (three dot-separated parts) is an application token of a Graph connector app;
         * our own API tokens never contain dots. */
        const char *dot = strchr(authz + 7, '.');

        if (dot && strchr(dot + 1, '.'))
            err = gc_authenticate(c->ctx, authz + 7, who);
        else
            err = auth_authenticate(c->ctx, authz + 7, false, who);
    } else if (http_cookie(c->req, api_session_cookie(c->ctx), cookie, sizeof(cookie))) {
        err = auth_authenticate(c->ctx, cookie, true, who);
    } else {
        return sb_fail(&c->diag, SB_ERR_UNAUTHORIZED, "InvalidAuthenticationToken",
                       "authentication is required: send 'Authorization: Bearer <token>'");
    }
    if (err == SB_ERR_UNAUTHORIZED)
        return sb_fail(&c->diag, err, "InvalidAuthenticationToken",
                       "the access token or session is invalid or expired");
    if (err)
        return err;
    /* A cookie rides along with requests that other pages make, app sandboxes (same-site
     * subdomains) included: state changes must come from our own origin and echo the token. */
    if (who->via_session && !safe_method(c->req->method) && !api_origin_ok(c))
        return sb_fail(&c->diag, SB_ERR_FORBIDDEN, "Forbidden",
                       "cookie-authenticated requests must come from %s (Origin, Sec-Fetch-Site)",
                       c->ctx->cfg->public_url);
    if (who->via_session && !safe_method(c->req->method) &&
        !auth_csrf_check(who, http_header(c->req, "X-CSRF-Token")))
        return sb_fail(&c->diag, SB_ERR_FORBIDDEN, "Forbidden",
                       "missing or wrong X-CSRF-Token header for a cookie-authenticated request");
    return SB_OK;
}

static void count_status(struct sb_ctx *ctx, int status)
{
    int cls = status / 100;

    if (cls >= 1 && cls <= 5)
        atomic_fetch_add_explicit(&ctx->metrics->http_requests[cls], 1, memory_order_relaxed);
}

/* Logs server errors and counts every answer, whichever phase gave it. */
static void finish(struct api_call *c)
{
    if (c->resp->status >= 500)
        sb_log_error("%s %s -> %d %s", c->req->method, c->req->path, c->resp->status,
                     c->diag.message);
    count_status(c->ctx, c->resp->status);
}

/* Which API a path outside the route table belongs to (contract §7), by its first segment or,
 * for the identity routes, its second ("/{tenant}/oauth2/...", "/{tenant}/v2.0/..."). Compared
 * without case: a client that writes /V1.0 expects an API answer too. The path is already
 * percent-decoded, so an encoded separator or ".." cannot hide the prefix. */
enum family { FAMILY_WEB, FAMILY_JSON, FAMILY_CONNECTOR, FAMILY_WORKFLOW };

static bool segment_is(const char *seg, size_t len, const char *const *names)
{
    for (; *names; names++)
        if (strlen(*names) == len && strncasecmp(seg, *names, len) == 0)
            return true;
    return false;
}

static enum family family_of(const char *path)
{
    static const char *const json[] = {"v1.0", "beta", "api", ".well-known", NULL};
    static const char *const identity[] = {"oauth2", "v2.0", NULL};
    static const char *const connector[] = {"webhook", "webhookb2", "connectors", NULL};
    static const char *const workflow[] = {"workflows", "powerautomate", NULL};
    const char *first = path + (path[0] == '/'), *second;
    size_t len = strcspn(first, "/");

    if (segment_is(first, len, json))
        return FAMILY_JSON;
    if (segment_is(first, len, connector))
        return FAMILY_CONNECTOR;
    if (segment_is(first, len, workflow))
        return FAMILY_WORKFLOW;
    if (len > 0 && first[len] == '/') {
        second = first + len + 1;
        if (segment_is(second, strcspn(second, "/"), identity))
            return FAMILY_JSON;
    }
    return FAMILY_WEB;
}

/* What is not an API route: the web client's (GET of a path outside the API prefixes), a known
 * path with another method (405), or unknown (404 in the shape of the API the path belongs to). */
static void not_api(struct api_call *c)
{
    const struct http_route *route = NULL;
    enum family family = family_of(c->req->path);

    if (family == FAMILY_WEB && strcmp(c->req->method, "GET") == 0 &&
        http_static_serve_request(c->ctx->cfg->web_root, c->req, c->resp) == SB_OK)
        return;
    if (http_route_match(routes, sizeof(routes) / sizeof(routes[0]), c->req, &route) ==
        HTTP_NO_METHOD) {
        api_failf(c, SB_ERR_INVALID, "MethodNotAllowed", "%s is not supported on %s",
                  c->req->method, c->req->path);
        c->resp->status = 405;
    } else if (family == FAMILY_CONNECTOR || family == FAMILY_WORKFLOW) {
        api_webhook_not_found(c, family == FAMILY_WORKFLOW);
    } else {
        api_failf(c, SB_ERR_NOT_FOUND, "NotFound", "no such resource: %s", c->req->path);
    }
}

/* Runs once the headers are in, before any body is read: picks the route and its body limit,
 * and authenticates the caller of a non-public route (401/403 here, with no body read). Public
 * routes' bodies count against the server's budget for unauthenticated bodies; webhook routes
 * check their URL here (404/401/410 for URLs that are not current). */
static void prepare(void *arg, struct http_request *req, struct http_response *resp)
{
    struct api_call c = {.ctx = arg, .req = req, .resp = resp};
    const struct http_route *route = NULL;
    const struct api_route *ar;
    struct sb_principal *who = NULL;
    sb_id app_id;
    sb_err err;

    req->body_limit = c.ctx->cfg->max_body;
    if (apphost_match(c.ctx, req, app_id)) {
        req->route = &apphost_route;
        req->body_limit = APPHOST_BODY_MAX;
        req->public_body = true;
        return;
    }
    if (http_route_match(routes, sizeof(routes) / sizeof(routes[0]), req, &route) != HTTP_MATCHED) {
        not_api(&c);
        goto out;
    }
    req->route = route;
    ar = route->data;
    if (ar->flags & API_WEBHOOK)
        req->body_limit = c.ctx->cfg->max_payload;
    if (ar->flags & API_SERVICE)
        req->body_limit = SERVICE_BODY_MAX;
    if (ar->flags & API_PACKAGE)
        req->body_limit = APPS_PACKAGE_MAX;
    if (ar->flags & API_ITEM)
        req->body_limit = GC_ITEM_BYTES_MAX;
    if (ar->flags & API_PUBLIC) {
        req->public_body = true;
        if (ar->pre)
            ar->pre(&c);
        goto out;
    }
    who = calloc(1, sizeof(*who));
    if (!who) {
        api_fail(&c, SB_ERR_NOMEM);
        goto out;
    }
    err = authenticate(&c, who);
    if (!err && who->must_change_password && !(ar->flags & API_PW_CHANGE))
        err = sb_fail(&c.diag, SB_ERR_FORBIDDEN, "PasswordChangeRequired",
                      "your password must be changed first: POST /v1.0/me/changePassword");
    if (err) {
        api_fail(&c, err);
        goto out;
    }
    /* An oversized body of a signed-in caller is read and discarded (it holds no memory) and
     * answered 413 after it: answered now, the connection would close under a client still
     * sending, which then sees a broken pipe instead of the 413. */
    req->auth = who;
    who = NULL;
out:
    free(who);
    if (resp->status)
        finish(&c);
}

static void handle(void *arg, struct http_request *req, struct http_response *resp)
{
    struct api_call c = {.ctx = arg, .req = req, .resp = resp};
    /* prepare() answered every request without a route. */
    const struct api_route *ar = ((const struct http_route *)req->route)->data;

    if (ar->flags & API_APPHOST) {
        sb_id app_id;

        if (apphost_match(c.ctx, req, app_id))
            apphost_handle(c.ctx, app_id, req, resp);
        goto out;
    }
    if (req->body_too_large && !(ar->flags & API_WEBHOOK)) {
        api_failf(&c, SB_ERR_TOO_LARGE, "RequestEntityTooLarge",
                  "the request body is larger than %zu bytes", req->body_limit);
        goto out;
    }
    /* Authenticated in prepare(), before the body was read. Public routes have no principal:
     * a webhook route's check keeps the configuration it found in req->auth instead. */
    c.who = ar->flags & API_PUBLIC ? NULL : req->auth;
    ar->fn(&c);
out:
    finish(&c);
}

/* The prefixes of the URLs services post to (webhook_ingest.c), known routes or not, in any
 * case (the route table's fallback answers /WEBHOOKB2/... as a webhook path too). */
static bool webhook_path(const char *path)
{
    static const char *const prefixes[] = {"/webhook", "/webhookb2", "/workflows", "/powerautomate",
                                           "/connectors"};

    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
        size_t n = strlen(prefixes[i]);

        if (strncasecmp(path, prefixes[i], n) == 0 && (path[n] == '\0' || path[n] == '/'))
            return true;
    }
    return false;
}

/* Teams' answers carry `request-id: <GUID>`, a fresh one per request, success or refusal; some
 * clients take it as the delivery id and count an answer without it as failed. Here it reaches
 * every answer on a webhook path, whichever phase gave it (prepare's refusals before the body,
 * 413, the server's own 503s), once: an answer that has one already keeps it. */
static void decorate(void *arg, const char *path, struct http_response *resp)
{
    sb_id id;

    if (!path || !webhook_path(path))
        return;
    for (size_t i = 0; i < resp->nheaders; i++)
        if (strcasecmp(resp->headers[i].name, "request-id") == 0)
            return;
    sb_id_new(arg, id);
    /* Out of memory: the answer goes without the header rather than not at all. */
    (void)http_response_header(resp, "request-id", "%s", id);
}

struct http_app api_app(struct sb_ctx *ctx)
{
    struct http_app app = {ctx, prepare, handle, decorate};
    return app;
}
