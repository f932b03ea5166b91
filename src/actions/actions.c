/*
 * actions.c: accepting a click on a card action (see actions.h).
 */
#include "actions/actions.h"

#include "auth/perm.h"
#include "cards/card_actions.h"
#include "connectors/configs.h"
#include "core/ids.h"
#include "core/json.h"
#include "net/fetch.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "store/actions.h"
#include "store/apps.h"
#include "store/connectors.h"
#include "store/messages.h"
#include "store/rate.h"
#include "store/registrations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static sb_err check_inputs(json_t *inputs, struct sb_diag *diag)
{
    const char *key;
    json_t *v;

    if (!inputs)
        return SB_OK;
    if (!json_is_object(inputs))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "inputs must be an object of input id to text value");
    if (json_object_size(inputs) > ACTIONS_INPUTS_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "at most %d inputs",
                       ACTIONS_INPUTS_MAX);
    json_object_foreach(inputs, key, v)
    {
        if (!json_is_string(v))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "inputs.%.64s must be a string",
                           key);
        if (json_string_length(v) > ACTIONS_INPUT_MAX)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "inputs.%.64s is longer than %d bytes", key, ACTIONS_INPUT_MAX);
    }
    return SB_OK;
}

/* A connector registered in the Developer Dashboard declared whether its cards carry actions and
 * where they go: the target must be that actions URL or under it. Apps uploaded as packages
 * have no registration (their valid domains are the rule). */
static sb_err check_actions_url(struct sb_ctx *ctx, const char *connector_id, const char *url,
                                struct sb_diag *diag)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    sb_err err;
    size_t n;

    if (!r)
        return SB_ERR_NOMEM;
    err = store_registration_get(ctx->store, connector_id, r);
    if (err == SB_ERR_NOT_FOUND) {
        err = SB_OK;
    } else if (!err && (!r->actions_enabled || !r->actions_url[0])) {
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                      "this connector was registered without card actions");
    } else if (!err) {
        n = strlen(r->actions_url);
        if (strncasecmp(url, r->actions_url, n) != 0 ||
            !(r->actions_url[n - 1] == '/' || url[n] == '\0' || url[n] == '/' || url[n] == '?'))
            err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                          "the target is not the connector's registered actions URL");
    }
    store_registration_free(r);
    free(r);
    return err;
}

/* A connector app's configuration: the target must be on one of the app's valid domains. */
static sb_err check_registered(struct sb_ctx *ctx, const struct sb_connector *cc, const char *url,
                               struct sb_diag *diag)
{
    struct sb_app *app;
    char scheme[8], host[256];
    int port = 0;
    sb_err err;

    if (strcmp(cc->kind, "app") != 0)
        return SB_OK;
    if (fetch_url_parts(url, scheme, sizeof(scheme), host, sizeof(host), &port) != SB_OK)
        return sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused", "the URL is not valid");
    app = calloc(1, sizeof(*app));
    if (!app)
        return SB_ERR_NOMEM;
    err = store_app_by_connector(ctx->store, cc->team_id, cc->connector_id, app);
    if (err == SB_ERR_NOT_FOUND)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                      "the connector app is no longer in the catalog");
    else if (!err && !config_domain_listed(app->valid_domains, host, port))
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "outboundRefused",
                      "%s is not one of the connector app's valid domains", host);
    store_app_free(app);
    free(app);
    if (!err)
        err = check_actions_url(ctx, cc->connector_id, url, diag);
    return err;
}

static sb_err rate_take(struct sb_ctx *ctx, const char *user_id, struct sb_diag *diag)
{
    char key[64];
    int64_t now_s = sb_now_ms(ctx) / 1000, hits = 0;
    sb_err err;

    /* Windows are named by their first second, like the webhook windows in the same table. */
    snprintf(key, sizeof(key), "action:%s", user_id);
    err = store_rate_take(ctx->store, key, now_s / 60 * 60, &hits);
    if (err)
        return err;
    if (hits > ACTIONS_PER_MINUTE)
        return sb_fail(diag, SB_ERR_THROTTLED, "TooManyRequests",
                       "at most %d card actions a minute; try again in %lld seconds",
                       ACTIONS_PER_MINUTE, (long long)(60 - now_s % 60));
    return SB_OK;
}

/* The outbox payload: what the worker sends, fixed when the click was accepted. */
static sb_err build_payload(const struct card_action *a, json_t *inputs, char **out,
                            struct sb_diag *diag)
{
    char *url = NULL, *body = NULL;
    json_t *p = NULL;
    sb_err err;

    err = card_action_substitute(a->url, inputs, CARD_SUBST_URL, &url);
    if (!err)
        err = card_action_substitute(a->body, inputs, card_subst_for(a->content_type), &body);
    if (err)
        goto out;
    if (strlen(url) > 2048) {
        err = sb_fail(diag, SB_ERR_INVALID, "invalidAction", "the target URL is too long");
        goto out;
    }
    /* attachmentId: the card a CARD-UPDATE-IN-BODY answer replaces (an action named by its own
     * id does not say). */
    p = json_pack("{s:s,s:s,s:s,s:s,s:O,s:s}", "url", url, "method", a->method, "body", body,
                  "contentType", a->content_type, "headers", a->headers, "attachmentId",
                  a->attachment_id);
    err = p ? sb_json_dump(p, out) : SB_ERR_NOMEM;
out:
    json_decref(p);
    free(url);
    free(body);
    return err;
}

sb_err actions_accept(struct sb_ctx *ctx, const struct sb_principal *who, const char *message_id,
                      const char *action_id, json_t *inputs, struct sb_action_execution *out,
                      struct sb_diag *diag)
{
    struct sb_message m;
    struct sb_connector cc;
    struct card_action a;
    struct sb_resource res;
    char *payload = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    memset(&a, 0, sizeof(a));
    /* A person's action: an app token is refused before the message is looked up. */
    err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);
    if (err)
        return err;
    if (!sb_id_valid(message_id) || store_message_get(ctx->store, message_id, &m) != SB_OK)
        return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "message '%s' not found", message_id);
    res.team_id = m.team_id;
    res.channel_id = m.channel_id;
    res.item_id = NULL;
    err = sb_can(ctx, who, SB_ACT_MESSAGE_ACTION, &res, diag);
    if (err) {
        if (err == SB_ERR_NOT_FOUND)
            sb_fail(diag, err, "NotFound", "message '%s' not found", message_id);
        goto out;
    }
    err = check_inputs(inputs, diag);
    if (err)
        goto out;
    if (strlen(action_id) > SB_ACTION_ID_MAX || strcmp(m.from_kind, "application") != 0) {
        err = sb_fail(diag, SB_ERR_NOT_FOUND, "actionNotFound",
                      "this message has no action with that id");
        goto out;
    }
    err = card_action_find(m.attachments, action_id, &a, diag);
    if (err)
        goto out;
    err = store_connector_get(ctx->store, m.from_id, &cc);
    if (!err && cc.deleted)
        err = SB_ERR_NOT_FOUND;
    if (err) {
        if (err == SB_ERR_NOT_FOUND)
            err = sb_fail(diag, SB_ERR_FORBIDDEN, "connectorRemoved",
                          "the connector that posted this card has been removed");
        goto out;
    }
    err = build_payload(&a, inputs, &payload, diag);
    if (!err) {
        json_t *p = json_loads(payload, 0, NULL);
        const char *url = json_string_value(json_object_get(p, "url"));
        struct fetch_policy policy = {0};

        err = url ? org_fetch_policy(ctx, &policy) : SB_ERR_NOMEM;
        if (!err)
            err = fetch_precheck(&policy, url, diag);
        org_fetch_policy_free(&policy);
        if (!err)
            err = check_registered(ctx, &cc, url, diag);
        if (!err)
            snprintf(out->target, sizeof(out->target), "%s", url);
        json_decref(p);
    }
    if (!err)
        err = rate_take(ctx, who->user_id, diag);
    if (err)
        goto out;
    sb_id_new(ctx, out->id);
    memcpy(out->message_id, m.id, sizeof(out->message_id));
    snprintf(out->action_id, sizeof(out->action_id), "%s", action_id);
    memcpy(out->user_id, who->user_id, sizeof(out->user_id));
    memcpy(out->connector_id, cc.id, sizeof(out->connector_id));
    memcpy(out->team_id, m.team_id, sizeof(out->team_id));
    memcpy(out->channel_id, m.channel_id, sizeof(out->channel_id));
    snprintf(out->status, sizeof(out->status), "pending");
    sb_time_now(ctx, out->created);
    memcpy(out->updated, out->created, sizeof(out->updated));
    err = store_action_create(ctx->store, out, ACTIONS_JOB_KIND, payload, sb_now_ms(ctx));
    if (!err)
        outbox_kick(ctx->outbox);
out:
    free(payload);
    card_action_free(&a);
    store_message_free(&m);
    return err;
}

static json_t *text_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

json_t *actions_execution_json(const struct sb_action_execution *e)
{
    json_t *j =
        json_pack("{s:s,s:s,s:b,s:s,s:s,s:s,s:s}", "id", e->id, "status", e->status, "cardUpdated",
                  e->card_updated, "createdDateTime", e->created, "lastModifiedDateTime",
                  e->updated, "messageId", e->message_id, "actionId", e->action_id);

    if (j) {
        json_object_set_new(j, "httpStatus",
                            e->http_status ? json_integer(e->http_status) : json_null());
        json_object_set_new(j, "cardActionStatus", text_or_null(e->card_action_status));
        json_object_set_new(j, "error", text_or_null(e->error));
    }
    return j;
}

sb_err actions_execution_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                             struct sb_action_execution *out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    if (err)
        return err;
    err = store_action_get(ctx->store, id, out);
    if (!err && strcmp(out->user_id, who->user_id) != 0)
        err = SB_ERR_NOT_FOUND; /* someone else's click */
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "action execution '%s' not found", id);
    return err;
}
