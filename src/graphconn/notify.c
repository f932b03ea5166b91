/*
 * notify.c: the connector notification of the Teams-app admin flow, and the schema operation,
 * as outbox jobs.
 *
 * Turning a connector on or off queues a "gc.notify" job: a POST to the app's
 * graphConnector.notificationUrl with Graph's change-notification body and validationTokens
 * (RS256, signed with jwt_sign at each attempt so they are fresh: aud = the app's client id,
 * appid = Microsoft Graph Change Tracking's id, iss = the public URL, tid, exp). A 202 completes
 * it; anything else, or no answer, is retried: after B, 2B, 4B ... up to 32B between attempts
 * (B = --graph-notify-retry-ms, 60 s by default), until the next attempt would come more than
 * 240B after the first (about 4 hours by default); then the job fails and the admin page shows
 * it. Jobs are durable: a restart continues the schedule. Jobs are written in the transaction
 * of the change they follow up (the switch, the schema operation), never on their own.
 */
#include "graphconn/graphconn.h"

#include "auth/jwt.h"
#include "connectors/package.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "net/fetch.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "store/graphconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Microsoft Graph Change Tracking: the appid of Graph's notification validation tokens. */
#define GC_NOTIFIER_APP_ID "0bf30f3b-4a52-48df-9a82-234910c4a086"
#define GC_NOTIFY_TIMEOUT_MS 30000
#define GC_TOKEN_TTL_S 3600

static int64_t retry_base(const struct sb_ctx *ctx)
{
    return ctx->cfg && ctx->cfg->graph_notify_retry_ms > 0 ? ctx->cfg->graph_notify_retry_ms
                                                           : 60000;
}

/* Delay before attempt `attempt + 1`, or -1 when the schedule is over. */
static int64_t retry_delay(const struct sb_ctx *ctx, int attempt)
{
    int64_t base = retry_base(ctx), elapsed = 0, delay = base;

    for (int i = 1; i <= attempt; i++) {
        delay = base << (i - 1 < 5 ? i - 1 : 5);
        if (i < attempt)
            elapsed += delay;
    }
    return elapsed + delay > 240 * base ? -1 : delay;
}

static sb_err validation_token(struct sb_ctx *ctx, const char *aud, char **token)
{
    int64_t now = sb_now_ms(ctx) / 1000;
    json_t *claims;
    sb_err err;

    claims = json_pack("{s:s,s:s,s:s,s:s,s:s,s:I,s:I,s:I,s:s}", "aud", aud, "iss",
                       ctx->cfg->public_url, "appid", GC_NOTIFIER_APP_ID, "azp", GC_NOTIFIER_APP_ID,
                       "tid", ctx->tenant_id, "iat", (json_int_t)now, "nbf", (json_int_t)now, "exp",
                       (json_int_t)now + GC_TOKEN_TTL_S, "sub", GC_NOTIFIER_APP_ID);
    if (!claims)
        return SB_ERR_NOMEM;
    err = jwt_sign(ctx, claims, token);
    json_decref(claims);
    return err;
}

static outbox_result notify_run(struct sb_ctx *ctx, const char *job_id, json_t *payload,
                                int attempt, int64_t *retry_in_ms, char *error, size_t error_cap)
{
    const char *url = json_string_value(json_object_get(payload, "url"));
    const char *aud = json_string_value(json_object_get(payload, "audience"));
    static const char *const headers[] = {"Content-Type: application/json", NULL};
    struct fetch_request rq = {0};
    struct fetch_policy policy = {0};
    struct fetch_response resp = {0};
    struct sb_diag diag = {0};
    json_t *body = NULL;
    char *token = NULL, *text = NULL;
    int64_t delay;
    sb_err err;

    (void)job_id;
    if (!url || !aud || !json_is_object(json_object_get(payload, "body"))) {
        snprintf(error, error_cap, "malformed notification job");
        return OUTBOX_FAIL;
    }
    if ((err = validation_token(ctx, aud, &token)) ||
        !(body = json_deep_copy(json_object_get(payload, "body"))) ||
        json_object_set_new(body, "validationTokens", json_pack("[s]", token)) != 0 ||
        (err = sb_json_dump(body, &text))) {
        snprintf(error, error_cap, "cannot build the notification: %s",
                 sb_err_name(err ? err : SB_ERR_NOMEM));
        goto retry;
    }
    rq.method = "POST";
    rq.url = url;
    rq.headers = headers;
    rq.body = text;
    rq.body_len = strlen(text);
    rq.timeout_ms = GC_NOTIFY_TIMEOUT_MS;
    rq.max_response = 64 * 1024;
    err = org_fetch_policy(ctx, &policy);
    if (!err)
        err = fetch_do(&policy, &rq, &resp, &diag);
    org_fetch_policy_free(&policy);
    if (!err && resp.status == 202) {
        fetch_response_free(&resp);
        json_decref(body);
        free(token);
        free(text);
        return OUTBOX_DONE;
    }
    if (err)
        snprintf(error, error_cap, "%s", diag.message[0] ? diag.message : sb_err_name(err));
    else
        snprintf(error, error_cap, "the app answered %ld, not 202", resp.status);
    fetch_response_free(&resp);
retry:
    json_decref(body);
    free(token);
    free(text);
    delay = retry_delay(ctx, attempt);
    if (delay < 0 || attempt >= OUTBOX_MAX_ATTEMPTS) {
        sb_log_info("connector notification to %s dropped after %d attempts: %s", url, attempt,
                    error);
        return OUTBOX_FAIL;
    }
    *retry_in_ms = delay;
    return OUTBOX_RETRY;
}

static outbox_result schema_run(struct sb_ctx *ctx, const char *job_id, json_t *payload,
                                int attempt, int64_t *retry_in_ms, char *error, size_t error_cap)
{
    const char *op = json_string_value(json_object_get(payload, "operation"));
    sb_err err;

    (void)job_id;
    (void)attempt;
    if (!op) {
        snprintf(error, error_cap, "malformed schema job");
        return OUTBOX_FAIL;
    }
    err = gc_schema_apply(ctx, op);
    if (err == SB_OK || err == SB_ERR_NOT_FOUND) /* a deleted connection took it along */
        return OUTBOX_DONE;
    snprintf(error, error_cap, "%s", sb_err_name(err));
    *retry_in_ms = 0;
    return OUTBOX_RETRY;
}

sb_err gc_outbox_register(struct sb_ctx *ctx)
{
    sb_err err;

    if (!ctx->outbox)
        return SB_OK;
    if ((err = outbox_register(ctx->outbox, "gc.notify", notify_run)))
        return err;
    return outbox_register(ctx->outbox, "gc.schema", schema_run);
}

sb_err gc_schema_job(struct sb_ctx *ctx, const char *op_id, struct sb_outbox_job *job,
                     char **payload)
{
    json_t *p = json_pack("{s:s}", "operation", op_id);
    sb_err err;

    *payload = NULL;
    if (!p)
        return SB_ERR_NOMEM;
    err = outbox_prepare(ctx, "gc.schema", p, job, payload);
    json_decref(p);
    return err;
}

sb_err gc_notify_job(struct sb_ctx *ctx, const struct sb_app *app, const struct package_info *info,
                     struct sb_gc_switch *sw, struct sb_outbox_job *job, char **text,
                     struct sb_diag *diag)
{
    struct sb_gc_registration *regs = NULL;
    const char *aud = NULL;
    json_t *payload = NULL;
    sb_id sub;
    size_t n = 0;
    sb_err err;

    *text = NULL;
    if ((err = store_gc_registration_list(ctx->store, &regs, &n)))
        return err;
    for (size_t i = 0; i < n && !aud; i++)
        if (!strcmp(regs[i].app_id, app->id))
            aud = regs[i].id;
    if (!aud) {
        err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                      "register the app first (POST /api/v1/admin/appRegistrations with its "
                      "appId): the notification's token names the app's client id");
        goto out;
    }
    sb_id_new(ctx, sub);
    payload =
        json_pack("{s:s,s:s,s:{s:[{s:s,s:s,s:s,s:n,s:{s:s,s:s,s:s,s:s,s:s},s:s}]}}", "url",
                  info->notification_url, "audience", aud, "body", "value", "changeType", "updated",
                  "subscriptionId", sub, "resource", "external", "clientState", "resourceData",
                  "@odata.type", "#Microsoft.Graph.connector", "@odata.id", "external", "id",
                  app->external_id, "state", sw->enabled ? "enabled" : "disabled",
                  "connectorsTicket", sw->ticket, "tenantId", ctx->tenant_id);
    if (!payload) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = outbox_prepare(ctx, "gc.notify", payload, job, text);
    if (!err)
        snprintf(sw->job_id, sizeof(sw->job_id), "%s", job->id);
out:
    json_decref(payload);
    free(regs);
    return err;
}

json_t *gc_notification_state(struct sb_ctx *ctx, const char *job_id)
{
    struct sb_outbox_job job = {0};
    sb_time next;

    if (outbox_get(ctx, job_id, &job) != SB_OK)
        return NULL;
    sb_time_format(job.next_at_ms, next);
    return json_pack("{s:s,s:s,s:i,s:s?,s:s?}", "id", job.id, "state", job.state, "attempts",
                     job.attempts, "lastError", job.last_error[0] ? job.last_error : NULL,
                     "nextAttemptDateTime", strcmp(job.state, "pending") == 0 ? next : NULL);
}
