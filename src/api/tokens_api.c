/*
 * tokens_api.c: the caller's own credentials. GET/DELETE /api/v1/tokens[/{id}] (API tokens,
 * contract §6) and GET/DELETE /api/v1/me/sessions[/{id}] (web sessions; DELETE of the
 * collection is "sign out everywhere", the calling session included). Secrets are never shown:
 * the store keeps only their hashes.
 */
#include "api/api.h"

#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static json_t *render(const struct sb_token *t, const char *current)
{
    sb_time expires, used;

    if (t->expires_ms)
        sb_time_format(t->expires_ms, expires);
    if (t->last_used_ms)
        sb_time_format(t->last_used_ms, used);
    json_t *o = json_pack("{s:s,s:s,s:s?,s:s?}", "id", t->id, "createdDateTime", t->created,
                          "expiresDateTime", t->expires_ms ? expires : NULL, "lastUsedDateTime",
                          t->last_used_ms ? used : NULL);
    /* Sessions: which one is the caller's (the web client marks "this device"). */
    if (o && current)
        json_object_set_new(o, "isCurrent", json_boolean(strcmp(t->id, current) == 0));
    return o;
}

static void list(struct api_call *c, int kind)
{
    struct sb_token *ts = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err = auth_credential_list(c->ctx, c->who, kind, &ts, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(
            value, render(&ts[i], kind == SB_TOKEN_SESSION ? c->who->credential_id : NULL));
    free(ts);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

static void revoke(struct api_call *c, int kind)
{
    sb_err err = auth_credential_revoke(c->ctx, c->who, kind, api_param(c, 0), &c->diag);

    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

void api_token_list(struct api_call *c)
{
    list(c, SB_TOKEN_API);
}

void api_token_delete(struct api_call *c)
{
    revoke(c, SB_TOKEN_API);
}

void api_my_session_list(struct api_call *c)
{
    list(c, SB_TOKEN_SESSION);
}

void api_my_session_delete(struct api_call *c)
{
    revoke(c, SB_TOKEN_SESSION);
}

void api_my_sessions_end(struct api_call *c)
{
    bool https = strncasecmp(c->ctx->cfg->public_url, "https:", 6) == 0;
    sb_err err = auth_sessions_end_all(c->ctx, c->who, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    if (c->who->via_session)
        http_response_header(c->resp, "Set-Cookie",
                             "%s=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0%s",
                             api_session_cookie(c->ctx), https ? "; Secure" : "");
    api_no_content(c);
}
