/*
 * connections.c: external connections (POST/GET/PATCH/DELETE /external/connections).
 *
 * A connection belongs to the app registration that created it (OwnedBy): another app gets a
 * 404 for it. Created with a GraphConnectors-Ticket (the Teams-app admin flow), the body must
 * name the app's connectorId (its manifest id) and the ticket must be the one of the app's last
 * enable notification while the app is on; the two go together, as Graph requires.
 */
#include "graphconn/graphconn.h"

#include "core/ids.h"
#include "core/json.h"
#include "store/apps.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

static const char *const reserved[] = {
    "None",     "Directory", "Exchange",         "ExchangeArchive",
    "LinkedIn", "Mailbox",   "OneDriveBusiness", "SharePoint",
    "Teams",    "Yammer",    "Connectors",       "TaskFabric",
    "PowerBI",  "Assistant", "TopicEngine",      "MSFT_All_Connectors",
};

static sb_err check_id(const char *id, struct sb_diag *diag)
{
    size_t n = strlen(id);

    if (n < 3 || n > SB_GC_ID_MAX)
        return FAIL("id must be 3 to %d characters", SB_GC_ID_MAX);
    for (const char *c = id; *c; c++)
        if (!isalnum((unsigned char)*c))
            return FAIL("id must contain only letters and digits");
    if (!strncasecmp(id, "Microsoft", 9))
        return FAIL("id must not begin with Microsoft");
    for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
        if (!strcasecmp(id, reserved[i]))
            return FAIL("id %s is reserved", reserved[i]);
    return SB_OK;
}

/* Characters, not bytes (UTF-8). */
static size_t chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* The optional objects kept as they are given (configuration, activitySettings,
 * searchSettings): each must be an object when present. */
static sb_err extras(json_t *body, json_t *extra, struct sb_diag *diag)
{
    static const char *const keys[] = {"configuration", "activitySettings", "searchSettings"};

    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        json_t *v = json_object_get(body, keys[i]);

        if (!v || json_is_null(v))
            continue;
        if (!json_is_object(v))
            return FAIL("%s must be an object", keys[i]);
        json_object_set(extra, keys[i], v);
    }
    return SB_OK;
}

static sb_err text_field(json_t *body, const char *key, bool required, size_t max_chars, char *dst,
                         size_t cap, struct sb_diag *diag)
{
    const char *s;
    sb_err err = sb_json_string(body, key, required, cap - 1, &s, diag);

    if (err)
        return err;
    if (!s)
        return SB_OK;
    if (chars(s) > max_chars)
        return FAIL("%s must be at most %zu characters", key, max_chars);
    snprintf(dst, cap, "%s", s);
    return SB_OK;
}

/* The admin flow: ticket and connectorId must both be given, and match the caller's app. */
static sb_err check_ticket(struct sb_ctx *ctx, const struct sb_principal *who, const char *ticket,
                           const char *connector_id, struct sb_diag *diag)
{
    struct sb_gc_registration reg;
    struct sb_gc_switch sw;
    struct sb_app app = {0};
    sb_err err;

    if (!ticket != !connector_id)
        return FAIL("the GraphConnectors-Ticket header and connectorId go together: send both "
                    "(a Teams app's connection) or neither");
    if (!ticket)
        return SB_OK;
    err = store_gc_registration_get(ctx->store, who->user_id, &reg);
    if (!err && !reg.app_id[0])
        err = SB_ERR_NOT_FOUND;
    if (!err)
        err = store_app_get(ctx->store, reg.app_id, &app);
    if (err == SB_ERR_NOT_FOUND || (!err && strcasecmp(app.external_id, connector_id) != 0)) {
        err = FAIL("connectorId must be the id of this application's Teams app");
        goto out;
    }
    if (err)
        goto out;
    err = store_gc_switch_get(ctx->store, app.id, &sw);
    if (err == SB_ERR_NOT_FOUND ||
        (!err && (!sw.enabled || strlen(sw.ticket) != strlen(ticket) ||
                  sodium_memcmp(sw.ticket, ticket, strlen(ticket)) != 0)))
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden",
                      "the GraphConnectors-Ticket is not the current ticket of this connector "
                      "(or the administrator turned it off)");
out:
    store_app_free(&app);
    return err;
}

sb_err gc_connection_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                            const char *ticket, struct sb_gc_connection *out, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    const char *id, *connector_id;
    json_t *extra = json_object();
    int64_t count = 0;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!extra)
        return SB_ERR_NOMEM;
    if ((err = sb_can(ctx, who, SB_ACT_EXTERNAL_CONNECTION, NULL, diag)) ||
        (err = sb_json_string(body, "id", true, 64, &id, diag)) || (err = check_id(id, diag)))
        goto out;
    snprintf(c.id, sizeof(c.id), "%s", id);
    if ((err = text_field(body, "name", true, 128, c.name, sizeof(c.name), diag)) ||
        (err = text_field(body, "description", false, SB_DESC_MAX, c.description,
                          sizeof(c.description), diag)) ||
        (err = sb_json_string(body, "connectorId", false, 63, &connector_id, diag)) ||
        (err = extras(body, extra, diag)) ||
        (err = check_ticket(ctx, who, ticket, connector_id, diag)))
        goto out;
    if ((err = store_gc_connection_count(ctx->store, &count)))
        goto out;
    if (count >= GC_CONNECTIONS_MAX) {
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "limitExceeded",
                      "this installation already has %d connections, the most it allows",
                      GC_CONNECTIONS_MAX);
        goto out;
    }
    snprintf(c.owner, sizeof(c.owner), "%s", who->user_id);
    snprintf(c.state, sizeof(c.state), "draft");
    if (connector_id)
        snprintf(c.connector_id, sizeof(c.connector_id), "%s", connector_id);
    sb_time_now(ctx, c.created);
    if ((err = sb_json_dump(extra, &c.extra)))
        goto out;
    err = store_gc_connection_insert(ctx->store, &c);
    if (err == SB_ERR_CONFLICT)
        sb_fail(diag, err, "Conflict", "a connection with the id %s already exists", c.id);
    if (!err) {
        *out = c;
        c.extra = NULL;
    }
out:
    json_decref(extra);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_connection_find(struct sb_ctx *ctx, const struct sb_principal *who, enum sb_action action,
                          const char *id, struct sb_gc_connection *out, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, action, NULL, diag);

    memset(out, 0, sizeof(*out));
    if (err)
        return err;
    err = store_gc_connection_get(ctx->store, id, out);
    if (!err && strcmp(out->owner, who->user_id) != 0) {
        store_gc_connection_free(out);
        err = SB_ERR_NOT_FOUND;
    }
    if (err == SB_ERR_NOT_FOUND)
        sb_fail(diag, err, "NotFound", "connection '%s' not found", id);
    return err;
}

sb_err gc_connection_list(struct sb_ctx *ctx, const struct sb_principal *who,
                          struct sb_gc_connection **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_EXTERNAL_CONNECTION, NULL, diag);

    *out = NULL;
    *n = 0;
    return err ? err : store_gc_connection_list(ctx->store, who->user_id, out, n);
}

void gc_connection_free(struct sb_gc_connection *c)
{
    store_gc_connection_free(c);
}

void gc_connection_free_array(struct sb_gc_connection *c, size_t n)
{
    store_gc_connection_free_array(c, n);
}

sb_err gc_connection_patch(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    json_t *extra = NULL;
    sb_err err;

    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_CONNECTION, id, &c, diag)))
        return err;
    json_t *idv = json_object_get(body, "id");

    if (idv && (!json_is_string(idv) || strcmp(json_string_value(idv), c.id) != 0)) {
        err = FAIL("id cannot be changed");
        goto out;
    }
    if (!(extra = json_loads(c.extra ? c.extra : "{}", 0, NULL)) ||
        (json_object_get(body, "name") &&
         (err = text_field(body, "name", true, 128, c.name, sizeof(c.name), diag))) ||
        (err = text_field(body, "description", false, SB_DESC_MAX, c.description,
                          sizeof(c.description), diag)) ||
        (err = extras(body, extra, diag)))
        goto out;
    free(c.extra);
    c.extra = NULL;
    if ((err = sb_json_dump(extra, &c.extra)))
        goto out;
    err = store_gc_connection_update(ctx->store, &c);
out:
    if (!extra && !err)
        err = SB_ERR_NOMEM;
    json_decref(extra);
    store_gc_connection_free(&c);
    return err;
}

sb_err gc_connection_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                            struct sb_diag *diag)
{
    struct sb_gc_connection c = {0};
    sb_err err;

    if ((err = gc_connection_find(ctx, who, SB_ACT_EXTERNAL_CONNECTION, id, &c, diag)))
        return err;
    err = store_gc_connection_delete(ctx->store, c.pk);
    store_gc_connection_free(&c);
    return err;
}

json_t *gc_render_connection(const struct sb_gc_connection *c)
{
    json_t *extra = json_loads(c->extra ? c->extra : "{}", 0, NULL);
    json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s?}", "id", c->id, "name", c->name, "description",
                          c->description, "state", c->state, "connectorId",
                          c->connector_id[0] ? c->connector_id : NULL);

    if (v && extra)
        json_object_update(v, extra);
    json_decref(extra);
    return v;
}
