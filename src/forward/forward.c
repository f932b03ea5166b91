/*
 * forward.c: forwards, their management and their delivery job (forward.h).
 */
#include "forward/forward.h"

#include "auth/auth.h"
#include "auth/perm.h"
#include "cards/translate.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "net/fetch.h"
#include "net/smtp.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "store/forwards.h"
#include "store/messages.h"
#include "store/teams.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- checks ------------------------------------------------------------------------------- */

static bool valid_kind(const char *k)
{
    return strcmp(k, "workflows") == 0 || strcmp(k, "slack") == 0 || strcmp(k, "email") == 0;
}

/* A plain addr-spec: something@something, no blanks, controls, brackets or quotes (they would
 * end up in an SMTP command or a header). */
static bool valid_address(const char *s)
{
    const char *at = strchr(s, '@');
    size_t n = strlen(s);

    if (n < 3 || n > 254 || !at || at == s || !at[1] || strchr(at + 1, '@'))
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || strchr("<>\"(),;:\\[]", *s) || *s == 0x7f)
            return false;
    return true;
}

static sb_err check_list(json_t *arr, const char *field, size_t max, bool (*ok)(const char *),
                         char *out, size_t cap, struct sb_diag *diag)
{
    json_t *v;
    size_t i;
    char *text;

    if (!json_is_array(arr) || json_array_size(arr) > max)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "%s must be an array of at most %zu strings", field, max);
    json_array_foreach(arr, i, v)
    {
        if (!json_is_string(v) || (ok && !ok(json_string_value(v))))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s[%zu] is not valid", field,
                           i);
    }
    text = json_dumps(arr, JSON_COMPACT);
    if (!text)
        return SB_ERR_NOMEM;
    if (strlen(text) >= cap) {
        free(text);
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s is too long", field);
    }
    memcpy(out, text, strlen(text) + 1);
    free(text);
    return SB_OK;
}

static bool keyword_ok(const char *s)
{
    return *s && strlen(s) <= 100;
}

static bool color_ok(const char *s)
{
    if (*s == '#')
        s++;
    return strlen(s) == 6 && strspn(s, "0123456789abcdefABCDEF") == 6;
}

static bool id_ok(const char *s)
{
    return sb_id_valid(s);
}

/* Applies in to f (absent fields stay), then checks the whole: a create and a change end in the
 * same state checks. */
static sb_err apply(struct sb_ctx *ctx, const struct forward_input *in, struct sb_forward *f,
                    struct sb_diag *diag)
{
    sb_err err = SB_OK;

    if (in->name) {
        if (!*in->name || strlen(in->name) >= sizeof(f->name))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "name must be 1 to %d bytes",
                           SB_NAME_MAX);
        snprintf(f->name, sizeof(f->name), "%s", in->name);
    }
    if (in->kind) {
        if (!valid_kind(in->kind))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "kind must be workflows, slack or email");
        snprintf(f->kind, sizeof(f->kind), "%s", in->kind);
    }
    if (in->url) {
        if (strlen(in->url) >= sizeof(f->url))
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "url is too long");
        snprintf(f->url, sizeof(f->url), "%s", in->url);
    }
    if (in->to && (err = check_list(in->to, "to", FORWARD_MAX_RECIPIENTS, valid_address,
                                    f->recipients, sizeof(f->recipients), diag)))
        return err;
    if (in->has_people)
        f->include_people = in->people;
    if (in->connectors && (err = check_list(in->connectors, "include.connectors", 100, id_ok,
                                            f->connectors, sizeof(f->connectors), diag)))
        return err;
    if (in->keywords && (err = check_list(in->keywords, "include.keywords", 50, keyword_ok,
                                          f->keywords, sizeof(f->keywords), diag)))
        return err;
    if (in->colors && (err = check_list(in->colors, "include.colors", 20, color_ok, f->colors,
                                        sizeof(f->colors), diag)))
        return err;
    if (!f->name[0])
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "name is required");
    if (strcmp(f->kind, "email") == 0) {
        if (strcmp(f->recipients, "[]") == 0 || !f->recipients[0])
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "an email forward needs at least one address in to");
        if (!ctx->cfg->smtp_url[0] || !ctx->cfg->smtp_from[0])
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "this server sends no e-mail (--smtp-url and --smtp-from are not set)");
        f->url[0] = '\0';
    } else {
        struct fetch_policy pol = {0};

        if (!f->url[0])
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "url is required for a %s forward", f->kind);
        err = org_fetch_policy(ctx, &pol);
        if (!err) {
            err = fetch_precheck(&pol, f->url, diag);
            /* A destination the outbound policy refuses is a wrong input, said at once. */
            if (err == SB_ERR_FORBIDDEN || err == SB_ERR_INVALID) {
                char why[sizeof(diag->message)];

                snprintf(why, sizeof(why), "%s", diag->message);
                err = sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "url: %s", why);
            }
        }
        org_fetch_policy_free(&pol);
    }
    return err;
}

static sb_err channel_allowed(struct sb_ctx *ctx, const struct sb_principal *who,
                              const char *channel_id, struct sb_channel *ch, struct sb_diag *diag)
{
    struct sb_resource res = {NULL, NULL, NULL};
    sb_err err = store_channel_get(ctx->store, channel_id, ch);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "channel '%s' not found", channel_id);
    if (err)
        return err;
    res.team_id = ch->team_id;
    res.channel_id = ch->id;
    return sb_can(ctx, who, SB_ACT_CONNECTOR_MANAGE, &res, diag);
}

static sb_err forward_load(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           struct sb_forward *out, struct sb_diag *diag)
{
    struct sb_resource res = {NULL, NULL, NULL};
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_id_valid(id) ? store_forward_get(ctx->store, id, out) : SB_ERR_NOT_FOUND;

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "forward '%s' not found", id);
    if (err)
        return err;
    res.team_id = out->team_id;
    res.channel_id = out->channel_id;
    return sb_can(ctx, who, SB_ACT_CONNECTOR_MANAGE, &res, diag);
}

/* --- management --------------------------------------------------------------------------- */

/* What the audit log says of a forward: where it sends (the host of its URL, not the URL, which
 * is a secret; the addresses of an e-mail forward) and its filters. */
static json_t *summary(const struct sb_forward *f)
{
    char scheme[16] = "", host[256] = "";
    int port = 0;
    json_t *v;

    if (f->url[0] && fetch_url_parts(f->url, scheme, sizeof(scheme), host, sizeof(host), &port))
        host[0] = '\0';
    v = json_pack("{s:s, s:s, s:s, s:s, s:b}", "name", f->name, "kind", f->kind, "teamId",
                  f->team_id, "channelId", f->channel_id, "people", f->include_people);
    if (!v)
        return NULL;
    if (host[0])
        json_object_set_new(v, "host", json_string(host));
    if (strcmp(f->kind, "email") == 0)
        json_object_set_new(v, "to", json_loads(f->recipients, 0, NULL));
    json_object_set_new(v, "connectors",
                        strcmp(f->connectors, "*") == 0 ? json_string("*")
                                                        : json_loads(f->connectors, 0, NULL));
    json_object_set_new(v, "keywords", json_loads(f->keywords, 0, NULL));
    json_object_set_new(v, "colors", json_loads(f->colors, 0, NULL));
    return v;
}

/* The audit entry of a change of a forward (before/after may be NULL). */
static sb_err audit(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                    const struct sb_forward *before, const struct sb_forward *after,
                    struct sb_audit *out)
{
    const struct sb_forward *which = after ? after : before;
    json_t *b = before ? summary(before) : json_null();
    json_t *a = after ? summary(after) : json_null();
    sb_err err = !b || !a || !which ? SB_ERR_NOMEM
                                    : org_audit_entry(ctx, who->user_id, who->display_name, action,
                                                      which->id, b, a, out);

    json_decref(b);
    json_decref(a);
    return err;
}

sb_err forward_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *channel_id,
                      const struct forward_input *in, struct sb_forward *out, struct sb_diag *diag)
{
    struct sb_forward *existing = NULL;
    struct sb_channel ch;
    size_t n = 0;
    sb_err err = channel_allowed(ctx, who, channel_id, &ch, diag);

    if (err)
        return err;
    memset(out, 0, sizeof(*out));
    snprintf(out->recipients, sizeof(out->recipients), "[]");
    snprintf(out->connectors, sizeof(out->connectors), "*");
    snprintf(out->keywords, sizeof(out->keywords), "[]");
    snprintf(out->colors, sizeof(out->colors), "[]");
    if (!in->kind)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "kind is required");
    err = apply(ctx, in, out, diag);
    if (err)
        return err;
    err = store_forward_list(ctx->store, ch.id, &existing, &n);
    free(existing);
    if (err)
        return err;
    if (n >= FORWARD_MAX_PER_CHANNEL)
        return sb_fail(diag, SB_ERR_CONFLICT, "tooManyForwards",
                       "a channel has at most %d forwards", FORWARD_MAX_PER_CHANNEL);
    sb_id_new(ctx, out->id);
    memcpy(out->team_id, ch.team_id, sizeof(out->team_id));
    memcpy(out->channel_id, ch.id, sizeof(out->channel_id));
    snprintf(out->created_by, sizeof(out->created_by), "%s", who->user_id);
    sb_time_now(ctx, out->created);
    memcpy(out->updated, out->created, sizeof(out->updated));
    {
        struct sb_audit a = {0};

        err = audit(ctx, who, "forward.create", NULL, out, &a);
        if (!err)
            err = store_forward_insert(ctx->store, out, &a);
        org_audit_entry_free(&a);
    }
    return err;
}

sb_err forward_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *channel_id,
                    struct sb_forward **out, size_t *n, struct sb_diag *diag)
{
    struct sb_channel ch;
    sb_err err = channel_allowed(ctx, who, channel_id, &ch, diag);

    *out = NULL;
    *n = 0;
    return err ? err : store_forward_list(ctx->store, ch.id, out, n);
}

sb_err forward_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                   struct sb_forward *out, struct sb_diag *diag)
{
    return forward_load(ctx, who, id, out, diag);
}

sb_err forward_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                      const struct forward_input *in, struct sb_forward *out, struct sb_diag *diag)
{
    struct sb_forward before;
    struct sb_audit a = {0};
    sb_id key;
    sb_err err;

    /* id may point into *out (a caller updating its own copy), which the read overwrites. */
    snprintf(key, sizeof(key), "%s", id);
    id = key;
    err = forward_load(ctx, who, id, out, diag);

    if (err)
        return err;
    before = *out;
    if (in->kind && strcmp(in->kind, out->kind) != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "kind cannot change: make a new forward");
    err = apply(ctx, in, out, diag);
    if (err)
        return err;
    sb_time_now(ctx, out->updated);
    err = audit(ctx, who, "forward.update", &before, out, &a);
    if (!err)
        err = store_forward_update(ctx->store, out, &a);
    org_audit_entry_free(&a);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "forward '%s' not found", id);
    return err;
}

sb_err forward_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                      struct sb_diag *diag)
{
    struct sb_forward f;
    struct sb_audit a = {0};
    sb_err err = forward_load(ctx, who, id, &f, diag);

    if (!err)
        err = audit(ctx, who, "forward.delete", &f, NULL, &a);
    if (!err)
        err = store_forward_delete(ctx->store, id, &a);
    org_audit_entry_free(&a);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "forward '%s' not found", id);
    return err;
}

sb_err forward_deliveries(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                          size_t top, struct sb_forward_delivery **out, size_t *n,
                          struct sb_diag *diag)
{
    struct sb_forward f;
    sb_err err = forward_load(ctx, who, id, &f, diag);

    *out = NULL;
    *n = 0;
    return err ? err : store_forward_deliveries(ctx->store, f.id, top, out, n);
}

sb_err forward_retry(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                     const char *delivery_id, struct sb_diag *diag)
{
    struct sb_forward f;
    struct sb_forward_delivery dl;
    struct sb_outbox_job job;
    json_t *payload = NULL;
    char *text = NULL;
    sb_err err = forward_load(ctx, who, id, &f, diag);

    if (err)
        return err;
    err = sb_id_valid(delivery_id) ? store_forward_delivery_get(ctx->store, delivery_id, &dl)
                                   : SB_ERR_NOT_FOUND;
    if (!err && strcmp(dl.forward_id, f.id) != 0)
        err = SB_ERR_NOT_FOUND;
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "delivery '%s' not found", delivery_id);
    if (err)
        return err;
    if (strcmp(dl.status, "pending") == 0)
        return sb_fail(diag, SB_ERR_CONFLICT, "deliveryPending",
                       "this delivery is still being tried");
    payload = json_pack("{s:s}", "delivery", dl.id);
    err =
        payload ? outbox_prepare(ctx, STORE_FORWARD_JOB_KIND, payload, &job, &text) : SB_ERR_NOMEM;
    json_decref(payload);
    if (!err)
        err = store_forward_delivery_retry(ctx->store, dl.id, &job, text);
    free(text);
    if (!err)
        outbox_kick(ctx->forward_outbox ? ctx->forward_outbox : ctx->outbox);
    return err;
}

json_t *forward_render(const struct sb_forward *f)
{
    json_t *include = json_pack("{s:b}", "people", f->include_people);
    json_t *v = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", f->id, "name", f->name,
                          "kind", f->kind, "channelId", f->channel_id, "teamId", f->team_id,
                          "createdBy", f->created_by, "createdDateTime", f->created);

    if (!v || !include) {
        json_decref(v);
        json_decref(include);
        return NULL;
    }
    if (strcmp(f->connectors, "*") != 0)
        json_object_set_new(include, "connectors", json_loads(f->connectors, 0, NULL));
    json_object_set_new(include, "keywords", json_loads(f->keywords, 0, NULL));
    json_object_set_new(include, "colors", json_loads(f->colors, 0, NULL));
    json_object_set_new(v, "include", include);
    /* Recipients are shown (people need to see whom a channel mails); the URL never is. */
    if (strcmp(f->kind, "email") == 0)
        json_object_set_new(v, "to", json_loads(f->recipients, 0, NULL));
    json_object_set_new(v, "lastModifiedDateTime", json_string(f->updated));
    return v;
}

json_t *forward_delivery_render(const struct sb_forward_delivery *d)
{
    json_t *v = json_pack("{s:s, s:s, s:s, s:I}", "id", d->id, "messageId", d->message_id, "status",
                          d->status, "attempts", (json_int_t)d->attempts);

    if (!v)
        return NULL;
    json_object_set_new(v, "lastAttemptDateTime",
                        d->last_attempt[0] ? json_string(d->last_attempt) : json_null());
    if (d->http_status)
        json_object_set_new(v, "httpStatus", json_integer(d->http_status));
    if (d->error[0])
        json_object_set_new(v, "error", json_string(d->error));
    if (d->response[0])
        json_object_set_new(v, "response", json_string(d->response));
    return v;
}

sb_err forward_translate(struct sb_ctx *ctx, const struct sb_principal *who, const char *body,
                         size_t len, char **out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *out = NULL;
    return err ? err : card_translate_messagecard(body, len, out, diag);
}
