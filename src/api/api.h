/*
 * api.h: what every handler shares. A handler parses its request, calls a service with the
 * principal and renders the answer with the helpers below; it contains no SQL and no policy of
 * its own, calls no store_ function and includes no store header (scripts/check-layers, run by
 * `make lint`). Nor does it ask sb_can: the service it calls does, before it looks at the
 * input's meaning. What a handler refuses itself (a malformed body, a $top out of range) depends
 * only on the request, never on what is stored, so it tells nobody whether a resource exists.
 *
 * The dispatcher (dispatch.c) authenticates the caller before the handler runs (routes marked
 * API_PUBLIC skip that), enforces CSRF protection for cookie sessions, and maps sb_err codes to
 * HTTP statuses in one place (api_fail).
 */
#ifndef SB_API_H
#define SB_API_H

#include "auth/auth.h"
#include "auth/perm.h"
#include "core/buf.h"
#include "core/sb.h"
#include "http/http.h"
#include "model/messages.h"
#include "model/teams.h"

#include <jansson.h>

struct api_call {
    struct sb_ctx *ctx;
    struct http_request *req;
    struct http_response *resp;
    const struct sb_principal *who; /* NULL on public routes */
    struct sb_diag diag;
};

typedef void (*api_handler)(struct api_call *c);

/* The application object the HTTP server calls (prepare + handle). */
struct http_app api_app(struct sb_ctx *ctx);

/* ---- responses (respond.c) ---- */

/* Sends v (reference stolen) as JSON with status. */
void api_json(struct api_call *c, int status, json_t *v);
/* Sends text (JSON already serialised; taken from the buffer, which is left empty). */
void api_json_text(struct api_call *c, int status, struct sb_buf *text);
void api_no_content(struct api_call *c);
/* Sends the Graph error shape for err, with c->diag's code and message when set. */
void api_fail(struct api_call *c, sb_err err);
/* Fills c->diag and sends it: api_failf(c, SB_ERR_INVALID, "invalidRequest", "x is bad"). */
void api_failf(struct api_call *c, sb_err err, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Parses the body as a JSON object, or answers 400 and returns NULL. */
json_t *api_body_object(struct api_call *c);
/* Reads body's mentions (Graph's chatMessageMention array; absent or null: none) into *out
 * (heap, caller frees, NULL when none): shape only, the service checks them against the body
 * and the channel. SB_ERR_INVALID with c->diag set when malformed. */
sb_err api_mentions_read(struct api_call *c, json_t *body, struct sb_mention **out, size_t *n);
/* Path parameter i of the matched route. */
const char *api_param(const struct api_call *c, size_t i);
/* Teams' answer to a URL that is no webhook (404 and its delivery-failure sentence: as text on
 * connector-shaped paths, in Power Automate's JSON error on workflow-shaped ones); decorate()
 * adds its request-id. */
void api_webhook_not_found(struct api_call *c, bool workflow);

/* ---- browser requests (browser.c) ---- */

/* False when the request comes from another origin than --public-url's: an Origin header that
 * is not ours, or a Sec-Fetch-Site other than same-origin (app sandboxes are same-site).
 * Requests without either header (not from a browser) pass. */
bool api_origin_ok(const struct api_call *c);
/* The session cookie's name: "__Host-sb_session" when the public URL is https (the cookie is
 * Secure, and no subdomain can set it), else "sb_session". */
const char *api_session_cookie(const struct sb_ctx *ctx);

/* ---- Graph renderings shared by several handlers (render.c) ---- */
json_t *api_render_user(const struct sb_user *u);
json_t *api_render_team(const struct sb_team *t);
json_t *api_render_channel(const struct sb_channel *ch);
json_t *api_render_member(const struct sb_member *m);

/* ---- handlers, one file per resource family ---- */
void api_healthz(struct api_call *c);
void api_readyz(struct api_call *c);
/* actions_api.c */
void api_message_action(struct api_call *c);
void api_action_execution_get(struct api_call *c);
/* readstate_api.c (contract §6) */
void api_channel_states(struct api_call *c);
void api_bootstrap(struct api_call *c);
void api_read_state_put(struct api_call *c);
/* feed_api.c */
void api_team_feed(struct api_call *c);
/* jwks_api.c */
void api_openid_configuration(struct api_call *c);
void api_openid_configuration_tenant(struct api_call *c);
void api_jwks(struct api_call *c);
void api_metrics(struct api_call *c);
void api_token_create(struct api_call *c);
/* oidc_api.c: single sign-on (contract §6) */
void api_auth_providers(struct api_call *c);
void api_oidc_start(struct api_call *c);
void api_oidc_callback(struct api_call *c);
void api_session_create(struct api_call *c);
void api_session_delete(struct api_call *c);
void api_session_get(struct api_call *c);
void api_me(struct api_call *c);
void api_user_create(struct api_call *c);
void api_user_list(struct api_call *c);
void api_user_get(struct api_call *c);
void api_user_patch(struct api_call *c);
void api_user_delete(struct api_call *c);
void api_change_password(struct api_call *c);
void api_token_list(struct api_call *c);
void api_token_delete(struct api_call *c);
void api_my_session_list(struct api_call *c);
void api_my_session_delete(struct api_call *c);
void api_my_sessions_end(struct api_call *c);
void api_team_create(struct api_call *c);
void api_team_get(struct api_call *c);
void api_team_patch(struct api_call *c);
void api_joined_teams(struct api_call *c);
void api_channel_list(struct api_call *c);
void api_channel_create(struct api_call *c);
void api_channel_get(struct api_call *c);
/* GET by id of a membership and of a channel message (contract §3, §6). */
void api_member_get(struct api_call *c);
void api_message_get(struct api_call *c);
void api_member_list(struct api_call *c);
void api_member_add(struct api_call *c);
void api_member_remove(struct api_call *c);
void api_member_patch(struct api_call *c);
void api_team_list(struct api_call *c);
void api_message_list(struct api_call *c);
void api_message_post(struct api_call *c);
/* Pages of channel messages and of replies: $top in [1, API_PAGE_MAX], API_PAGE_DEFAULT when
 * absent. */
#define API_PAGE_DEFAULT 20
#define API_PAGE_MAX 50 /* Graph's largest page of channel messages */
/* Parses the decimal query argument name in [min, max] into *out (def when absent); answers 400
 * and returns false when it is not one. */
bool api_query_int(struct api_call *c, const char *name, long long min, long long max,
                   long long def, long long *out);
/* Sends a page of messages fetched with one extra row (ms[top] says another page exists): the
 * first top as rendered for people, and then @odata.nextLink, path (under --public-url) with
 * $top and the $skiptoken after the last one. Frees ms. With replies (one per message, fetched
 * with one extra row each; NULL for none) each message also carries Graph's expanded
 * `replies`, `replies@odata.count` and, when there are more, `replies@odata.nextLink`; frees
 * them too. */
struct sb_message;
struct teams_replies;
void api_send_message_page(struct api_call *c, struct sb_message *ms, size_t n, long long top,
                           const char *path, struct teams_replies *replies);
/* graph_replies.c: replies (GET/POST .../messages/{m}/replies, GET .../replies/{r}), and for a
 * message or a reply: PATCH, softDelete, undoSoftDelete, setReaction, unsetReaction. */
void api_reply_list(struct api_call *c);
void api_reply_post(struct api_call *c);
void api_reply_get(struct api_call *c);
void api_message_patch(struct api_call *c);
void api_message_soft_delete(struct api_call *c);
void api_message_undo_soft_delete(struct api_call *c);
void api_message_set_reaction(struct api_call *c);
void api_message_unset_reaction(struct api_call *c);
void api_webhook_post_v2(struct api_call *c);
void api_webhook_post_unsigned(struct api_call *c);
void api_webhook_post_legacy(struct api_call *c);
void api_webhook_post_workflow(struct api_call *c);
void api_webhook_create(struct api_call *c);
/* forwards_api.c (contract §8) */
void api_forward_list(struct api_call *c);
void api_forward_create(struct api_call *c);
void api_forward_get(struct api_call *c);
void api_forward_patch(struct api_call *c);
void api_forward_delete(struct api_call *c);
void api_forward_deliveries(struct api_call *c);
void api_forward_retry(struct api_call *c);
void api_translate(struct api_call *c);
void api_service_post(struct api_call *c);
/* The same URLs' checks before the body is read (dispatch.c prepare): answer the request when
 * the URL is not a current webhook URL, else leave it alone. */
void api_webhook_check_v2(struct api_call *c);
void api_webhook_check_unsigned(struct api_call *c);
void api_webhook_check_legacy(struct api_call *c);
void api_webhook_check_workflow(struct api_call *c);
void api_service_check(struct api_call *c);
void api_service_create(struct api_call *c);
void api_service_preview(struct api_call *c);
void api_webhook_update_url(struct api_call *c);
void api_connector_list(struct api_call *c);
void api_connector_create(struct api_call *c);
void api_connector_get(struct api_call *c);
void api_connector_patch(struct api_call *c);
void api_connector_delete(struct api_call *c);
void api_connector_deliveries(struct api_call *c);
void api_connector_image(struct api_call *c);
void api_connector_catalog(struct api_call *c);
void api_org_get(struct api_call *c);
void api_org_patch(struct api_call *c);
void api_admin_team_patch(struct api_call *c);
void api_admin_audit(struct api_call *c);
void api_admin_teams(struct api_call *c);
void api_admin_impact(struct api_call *c);
void api_events(struct api_call *c);
void api_app_publish(struct api_call *c);
void api_app_list(struct api_call *c);
void api_app_get(struct api_call *c);
void api_app_delete(struct api_call *c);
void api_app_icon(struct api_call *c);
void api_admin_apps(struct api_call *c);
void api_admin_app_patch(struct api_call *c);
void api_team_app_upload(struct api_call *c);
void api_registration_create(struct api_call *c);
void api_registration_list(struct api_call *c);
void api_registration_get(struct api_call *c);
void api_registration_patch(struct api_call *c);
void api_registration_delete(struct api_call *c);
void api_registration_package(struct api_call *c);
void api_registration_test_card(struct api_call *c);
void api_ext_connection_create(struct api_call *c);
void api_ext_connection_list(struct api_call *c);
void api_ext_connection_get(struct api_call *c);
void api_ext_connection_patch(struct api_call *c);
void api_ext_connection_delete(struct api_call *c);
void api_ext_schema_register(struct api_call *c);
void api_ext_schema_get(struct api_call *c);
void api_ext_operation_get(struct api_call *c);
void api_ext_item_put(struct api_call *c);
void api_ext_item_patch(struct api_call *c);
void api_ext_item_get(struct api_call *c);
void api_ext_item_delete(struct api_call *c);
void api_ext_group_create(struct api_call *c);
void api_ext_group_get(struct api_call *c);
void api_ext_group_patch(struct api_call *c);
void api_ext_group_delete(struct api_call *c);
void api_ext_member_add(struct api_call *c);
void api_ext_member_list(struct api_call *c);
void api_ext_member_remove(struct api_call *c);
void api_search_query(struct api_call *c);
void api_tenant_information(struct api_call *c);
void api_oauth_token(struct api_call *c);
void api_app_registration_create(struct api_call *c);
void api_app_registration_list(struct api_call *c);
void api_app_registration_delete(struct api_call *c);
/* /api/v1/admin/applications: the same registrations in the contract's form (appId, tenantId). */
void api_application_create(struct api_call *c);
void api_application_list(struct api_call *c);
void api_graph_connector_list(struct api_call *c);
void api_graph_connector_patch(struct api_call *c);

#endif
