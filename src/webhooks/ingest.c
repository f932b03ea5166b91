/*
 * ingest.c: the hot path. A service posts to a webhook URL; we check the URL, the policy, the
 * rate limit and the payload, store the message with its delivery-log entry in one durable
 * write, and only then answer (the live event follows from the commit, teams/remote.c). A
 * refused post is logged asynchronously and answered at once.
 */
#include "webhooks/webhooks.h"

#include "auth/perm.h"
#include "cards/cards.h"
#include "core/config.h"
#include "core/ids.h"
#include "org/org.h"
#include "teams/teams.h"
#include "webhooks/ratelimit.h"
#include "store/store.h"
#include "store/rate.h"
#include "store/messages.h"
#include "store/connectors.h"
#include "store/users.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Teams' delivery-failure sentence: clients that only look at the body detect failures by it. */
static void refuse(struct webhook_result *r, int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void refuse(struct webhook_result *r, int status, const char *code, const char *fmt, ...)
{
    char detail[200];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    r->status = status;
    snprintf(r->code, sizeof(r->code), "%s", code);
    snprintf(r->message, sizeof(r->message),
             "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP "
             "error %d with ContextId tcid=0,server=switchboard. %s",
             status, detail);
}

static void new_attachment_id(void *arg, char out[37])
{
    sb_id_new(arg, out);
}

static bool unsigned_kind(int kind)
{
    return kind == WEBHOOK_URL_LEGACY || kind == WEBHOOK_URL_UNSIGNED;
}

/* The rules of the unsigned forms, for a configuration found and matching the URL's parts.
 * The organisation switch comes first: once off, no unsigned URL reaches anything. */
static bool unsigned_ok(struct sb_ctx *ctx, const struct webhook_url *u,
                        const struct sb_connector *c, struct webhook_result *r)
{
    struct org_settings org;

    if (org_settings_get(ctx, &org) != SB_OK) {
        refuse(r, 500, "InternalServerError", "The message could not be stored.");
        return false;
    }
    if (!org.unsigned_urls_accepted) {
        refuse(r, 410, "WebhookUrlRetired",
               "Webhook URLs without a signature are no longer accepted in this organization; "
               "use the URL shown in the channel's Connectors settings.");
        return false;
    }
    /* The configuration id in the key slot: the unsigned URL of a webhook that was made in the
     * legacy format and never updated, and nothing else. */
    if (!u->key[0] && !webhook_attention_required(c)) {
        refuse(r, 410, "WebhookUrlReplaced",
               "This webhook URL was replaced by a new one; use the URL shown in the "
               "channel's Connectors settings.");
        return false;
    }
    if (webhook_attention_required(c) && org.legacy_cutoff_ms &&
        sb_now_ms(ctx) >= org.legacy_cutoff_ms) {
        refuse(r, 403, "WebhookUrlUpdateRequired",
               "This webhook URL is no longer supported. Open the channel's Connectors "
               "settings, choose \"Update URL\" on this webhook, and post to the new URL.");
        return false;
    }
    return true;
}

/* Finds the configuration and checks that the URL really is one of its current URLs. */
static bool authenticate(struct sb_ctx *ctx, const struct webhook_url *u, struct sb_connector *c,
                         struct webhook_result *r)
{
    const char *kind = u->kind == WEBHOOK_URL_SERVICE ? u->service : WEBHOOK_KIND;
    struct webhook_url signed_url;
    sb_err err = u->key[0] ? store_connector_by_key(ctx->store, u->key, c)
                           : store_connector_get(ctx->store, u->config_id, c);

    /* Connector apps post on the same URLs as incoming webhooks (Teams hands both the same). */
    if (err == SB_ERR_NOT_FOUND ||
        (!err && strcmp(c->kind, kind) != 0 &&
         !(strcmp(kind, WEBHOOK_KIND) == 0 && strcmp(c->kind, WEBHOOK_APP_KIND) == 0))) {
        refuse(r, 404, "WebhookNotFound", "The webhook URL is not valid.");
        return false;
    }
    if (err) {
        refuse(r, 500, "InternalServerError", "The message could not be stored.");
        return false;
    }
    if (c->deleted) {
        refuse(r, 410, "WebhookRemoved", "This webhook has been removed from the channel.");
        return false;
    }
    if (u->kind != WEBHOOK_URL_WORKFLOW && u->kind != WEBHOOK_URL_SERVICE &&
        (strcmp(u->team_id, c->team_id) != 0 || strcmp(u->tenant_id, ctx->tenant_id) != 0 ||
         strcmp(u->creator_id, c->created_by) != 0)) {
        refuse(r, 404, "WebhookNotFound", "The webhook URL is not valid.");
        return false;
    }
    if (unsigned_kind(u->kind))
        return unsigned_ok(ctx, u, c, r);
    /* A webhook still in the legacy format has only its unsigned URL: no signed one was ever
     * handed out for it, so a signed shape is not one of its URLs. */
    if (u->kind == WEBHOOK_URL_V2 && webhook_attention_required(c)) {
        refuse(r, 404, "WebhookNotFound", "The webhook URL is not valid.");
        return false;
    }
    signed_url = *u;
    memcpy(signed_url.config_id, c->id, sizeof(signed_url.config_id));
    if (!webhook_url_verify(ctx->webhook_key, c->url_nonce, &signed_url)) {
        refuse(r, 401, "WebhookSignatureInvalid",
               "The webhook URL's signature is not valid (it may have been replaced by an URL "
               "update).");
        return false;
    }
    return true;
}

bool webhook_url_check(struct sb_ctx *ctx, const struct webhook_url *url,
                       struct webhook_result *result, struct sb_connector *found)
{
    struct sb_connector c;

    memset(result, 0, sizeof(*result));
    if (!authenticate(ctx, url, &c, result))
        return false;
    if (found)
        *found = c;
    return true;
}

static void log_delivery(struct sb_ctx *ctx, const struct sb_connector *c, size_t size,
                         const struct webhook_result *r)
{
    struct sb_delivery d;

    memset(&d, 0, sizeof(d));
    memcpy(d.connector_id, c->id, sizeof(d.connector_id));
    sb_time_now(ctx, d.at);
    d.size = (int64_t)size;
    d.status = r->status;
    snprintf(d.error, sizeof(d.error), "%s", r->message);
    /* Queued, not waited for: a refusal is answered without a disk sync. A lost log entry must
     * not turn into a lost answer; the post itself was refused anyway. */
    (void)store_delivery_log(ctx->store, &d);
}

static void build_message(struct sb_ctx *ctx, const struct sb_connector *c,
                          struct card_message *card, struct sb_message *m)
{
    memset(m, 0, sizeof(*m));
    sb_id_new(ctx, m->id);
    memcpy(m->team_id, c->team_id, sizeof(m->team_id));
    memcpy(m->channel_id, c->channel_id, sizeof(m->channel_id));
    sb_time_now(ctx, m->created);
    snprintf(m->from_kind, sizeof(m->from_kind), "application");
    memcpy(m->from_id, c->id, sizeof(m->from_id));
    memcpy(m->from_name, c->name, sizeof(m->from_name));
    if (c->image_type[0])
        snprintf(m->from_image, sizeof(m->from_image), "/api/v1/connectors/%s/image", c->id);
    snprintf(m->body_type, sizeof(m->body_type), "html");
    /* The card's strings move into the message. */
    m->body = card->body;
    m->summary = card->summary;
    m->attachments = card->attachments;
    m->card_text = card->card_text;
    card->body = card->summary = card->attachments = card->card_text = NULL;
}

/* The cards' msteams.entities mentions of people who can read the channel (mentioned.id: the
 * user's id or userPrincipalName) become mentions of the message, so they count in those
 * people's mentionCount. Anyone else is left as the text the card shows: a card is never
 * refused for whom it names (Teams shows it), and a mention never reaches someone who cannot
 * read the channel. A failed lookup or allocation drops the mention, not the post. Takes
 * card->mentions. */
static void card_mentions(struct sb_ctx *ctx, const struct sb_connector *c,
                          struct card_message *card, struct sb_message *m)
{
    size_t k = 0;

    if (card->n_mentions > 0)
        m->mentions = calloc(card->n_mentions, sizeof(*m->mentions));
    for (size_t i = 0; m->mentions && i < card->n_mentions; i++) {
        const struct card_mention *cm = &card->mentions[i];
        struct sb_mention *x = &m->mentions[k];
        struct sb_user u;
        bool reads = false;
        sb_err err = store_user_get(ctx->store, cm->who, &u);

        if (err == SB_ERR_NOT_FOUND)
            err = store_user_by_upn(ctx->store, cm->who, &u, NULL);
        if (!err)
            err = teams_user_reads_channel(ctx, &u, c->team_id, c->channel_id, &reads);
        if (err || !reads)
            continue;
        x->id = (int64_t)i;
        memcpy(x->target, u.id, sizeof(x->target));
        memcpy(x->text, cm->text, sizeof(x->text));
        memcpy(x->name, u.display_name, sizeof(x->name));
        k++;
    }
    m->n_mentions = m->mentions ? k : 0;
    free(card->mentions);
    card->mentions = NULL;
    card->n_mentions = 0;
}

/* The per-webhook limit. One process keeps token buckets in memory; several processes on one
 * database (store_shared) count fixed windows in the database so the limit holds for all of
 * them together (see store/rate.c for the accuracy). A store failure lets the post through:
 * the limit protects the channel from floods, it must not turn a database hiccup into lost
 * notifications. */
static bool rate_ok(struct sb_ctx *ctx, const char *config_id, int *retry)
{
    double rate = ctx->cfg->webhook_rate_limit;
    int64_t now = sb_now_ms(ctx), span, limit, hits = 0;

    if (rate <= 0)
        return true;
    if (!store_shared(ctx->store))
        return webhook_limiter_take(ctx->limiter, config_id, now, retry);
    /* Below one post a second the window stretches so that it still holds one post. */
    span = rate >= 1 ? 1 : (int64_t)(1.0 / rate + 0.5);
    limit = rate >= 1 ? (int64_t)rate : 1;
    if (store_rate_take(ctx->store, config_id, now / 1000 / span, &hits) != SB_OK)
        return true;
    if (hits <= limit)
        return true;
    *retry = (int)(span - (now / 1000) % span);
    return false;
}

/* A service connector's payload becomes a card (*card, heap) or a final answer in r. */
static bool transform(const struct webhook_post *post, const struct sb_connector *c, char **card,
                      struct webhook_result *r)
{
    char why[256] = "";
    int status = 400;

    *card = NULL;
    switch (post->transform->fn(post->transform->arg, c, post->body, post->len, card, &status, why,
                                sizeof(why))) {
    case WEBHOOK_TRANSFORM_POST:
        return true;
    case WEBHOOK_TRANSFORM_IGNORE:
        r->status = 200;
        snprintf(r->code, sizeof(r->code), "Ignored");
        snprintf(r->message, sizeof(r->message), "Ignored: %s", why);
        return false;
    default:
        refuse(r, status, status == 401 ? "SignatureInvalid" : "BadPayload", "%s", why);
        return false;
    }
}

static void written(void *arg, sb_err err)
{
    struct webhook_result *r = arg;

    r->write_err = err;
    r->done(r->done_arg);
}

bool webhook_ingest_start(struct sb_ctx *ctx, const struct webhook_post *post,
                          struct webhook_result *r, void (*done)(void *arg), void *arg)
{
    struct sb_resource res;
    struct sb_connector c;
    struct card_message card = {0};
    struct sb_diag diag = {{0}, {0}};
    const char *body = post->body;
    size_t len = post->len;
    char *made = NULL;
    int retry = 0;
    sb_err err;

    memset(r, 0, sizeof(*r));
    if (post->checked)
        c = *post->checked;
    else if (!authenticate(ctx, &post->url, &c, r))
        return false;
    res.team_id = c.team_id;
    res.channel_id = c.channel_id;
    res.item_id = NULL;
    err = sb_can(ctx, NULL, SB_ACT_WEBHOOK_POST, &res, &diag);
    if (err == SB_ERR_NOT_FOUND) {
        refuse(r, 410, "WebhookRemoved", "The channel of this webhook no longer exists.");
        return false;
    }
    if (err) {
        refuse(r, err == SB_ERR_FORBIDDEN ? 403 : 500, "ConnectorsDisabled", "%s",
               diag.message[0] ? diag.message : "Posting is not allowed.");
        goto refused;
    }
    if (post->too_large) {
        refuse(r, 413, "RequestEntityTooLarge",
               "Request Entity too large: the message is larger than %zu bytes.",
               post->limit ? post->limit : ctx->cfg->max_payload);
        goto refused;
    }
    if (post->transform) {
        if (!transform(post, &c, &made, r))
            goto refused;
        body = made;
        len = strlen(made);
    }
    if (!rate_ok(ctx, c.id, &retry)) {
        refuse(r, 429, "TooManyRequests",
               "Too many requests: this webhook is limited; retry after %d second%s.", retry,
               retry == 1 ? "" : "s");
        r->retry_after = retry;
        goto refused;
    }
    err = card_message_parse(body, len, made ? NULL : post->content_type, new_attachment_id, ctx,
                             &card, &diag);
    free(made);
    made = NULL;
    if (err) {
        r->status = err == SB_ERR_INVALID ? 400 : 500;
        snprintf(r->code, sizeof(r->code), "%s", diag.code[0] ? diag.code : "badPayload");
        snprintf(r->message, sizeof(r->message), "%s",
                 diag.message[0] ? diag.message
                                 : "Bad payload received by generic incoming webhook.");
        goto refused;
    }
    build_message(ctx, &c, &card, &r->msg);
    card_mentions(ctx, &c, &card, &r->msg);
    memcpy(r->delivery.connector_id, c.id, sizeof(r->delivery.connector_id));
    memcpy(r->delivery.at, r->msg.created, sizeof(r->delivery.at));
    r->delivery.size = (int64_t)post->len;
    r->delivery.status = 200;
    memcpy(r->delivery.message_id, r->msg.id, sizeof(r->delivery.message_id));
    r->done = done;
    r->done_arg = arg;
    if (store_webhook_deliver(ctx->store, &r->msg, &r->delivery, written, r) != SB_OK) {
        store_message_free(&r->msg);
        refuse(r, 503, "ServiceUnavailable", "The message could not be stored; retry later.");
        return false;
    }
    return true;
refused:
    free(made);
    log_delivery(ctx, &c, post->len, r);
    return false;
}

void webhook_ingest_finish(struct sb_ctx *ctx, struct webhook_result *r)
{
    if (r->write_err) {
        store_message_free(&r->msg);
        refuse(r, 503, "ServiceUnavailable", "The message could not be stored; retry later.");
        return;
    }
    teams_message_stored(ctx);
    r->status = 200;
}
