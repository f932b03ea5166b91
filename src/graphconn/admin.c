/*
 * admin.c: what administrators do for Graph connectors: register apps (client id and secret,
 * the secret shown once and kept as SHA-256), list the catalog apps that have a graphConnector
 * with their switch, notification and connections, and turn a connector on or off.
 */
#include "graphconn/graphconn.h"

#include "auth/perm.h"
#include "connectors/package.h"
#include "core/ids.h"
#include "core/json.h"
#include "org/org.h"
#include "outbox/outbox.h"
#include "store/apps.h"
#include "store/graphconn.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

static void info_release(struct package_info *info)
{
    if (info)
        package_info_free(info);
    free(info);
}

/* The catalog app's package facts when it has a graphConnector (SB_ERR_NOT_FOUND otherwise),
 * in *out (heap: a package's facts are 16 KB, too much for a stack frame; info_release). On
 * success app's heap fields are the caller's (store_app_free); after an error app holds none
 * and *out is NULL. */
static sb_err gc_app_info(struct sb_ctx *ctx, const char *app_id, struct sb_app *app,
                          struct package_info **out)
{
    struct package_info *info = calloc(1, sizeof(*info));
    void *zip = NULL;
    size_t len = 0;
    struct sb_diag diag;
    sb_err err;

    *out = NULL;
    if (!info)
        return SB_ERR_NOMEM;
    if ((err = store_app_get(ctx->store, app_id, app))) {
        free(info);
        return err;
    }
    if (app->team_id[0]) {
        err = SB_ERR_NOT_FOUND;
        goto out;
    }
    if ((err = store_gc_app_package(ctx->store, app_id, &zip, &len)))
        goto out;
    err = package_validate(zip, len, info, &diag);
    free(zip);
    if (err) {
        err = SB_ERR_NOT_FOUND; /* stored under older rules: not a connector now */
        goto out;
    }
    if (!info->has_graph_connector)
        err = SB_ERR_NOT_FOUND;
out:
    if (err) {
        store_app_free(app);
        info_release(info);
    } else {
        *out = info;
    }
    return err;
}

sb_err gc_registration_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                              struct sb_gc_registration *out, char *secret, struct sb_diag *diag)
{
    unsigned char raw[32];
    const char *name, *app_id, *cert;
    struct sb_app app;
    struct sb_audit audit;
    json_t *after;
    sb_err err;

    memset(out, 0, sizeof(*out));

    if ((err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag)) ||
        (err = sb_json_string(body, "displayName", true, SB_NAME_MAX, &name, diag)) ||
        (err = sb_json_string(body, "appId", false, SB_ID_LEN, &app_id, diag)) ||
        (err = sb_json_string(body, "certificate", false, 16384, &cert, diag)))
        return err;
    if (cert &&
        (err = gc_public_key_normalise(cert, out->public_key, sizeof(out->public_key), diag)))
        return err;
    sb_id_new(ctx, out->id);
    if (app_id) {
        struct package_info *info;

        err = gc_app_info(ctx, app_id, &app, &info);
        if (err == SB_ERR_NOT_FOUND)
            return FAIL("appId must be the id of an app with a graphConnector in the "
                        "organisation catalog");
        if (err)
            return err;
        snprintf(out->app_id, sizeof(out->app_id), "%s", app.id);
        if (info->web_app_id[0])
            snprintf(out->id, sizeof(out->id), "%s", info->web_app_id);
        info_release(info);
        store_app_free(&app);
    }
    snprintf(out->display_name, sizeof(out->display_name), "%s", name);
    sb_random(ctx, raw, sizeof(raw));
    memcpy(secret, "sbcs_", 6);
    sodium_bin2base64(secret + 5, GC_SECRET_LEN - 5 + 1, raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    crypto_hash_sha256(out->secret_hash, (const unsigned char *)secret, strlen(secret));
    sodium_memzero(raw, sizeof(raw));
    snprintf(out->created_by, sizeof(out->created_by), "%s", who->user_id);
    sb_time_now(ctx, out->created);
    after = json_pack("{s:s,s:s}", "displayName", out->display_name, "appId", out->app_id);
    err = after ? org_audit_entry(ctx, who->user_id, who->display_name, "appRegistration.create",
                                  out->id, NULL, after, &audit)
                : SB_ERR_NOMEM;
    json_decref(after);
    if (err)
        return err;
    err = store_gc_registration_insert(ctx->store, out, &audit);
    org_audit_entry_free(&audit);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "Conflict",
                       "the app's webApplicationInfo.id %s is already registered", out->id);
    return err;
}

sb_err gc_registration_find(struct sb_ctx *ctx, const char *client_id,
                            struct sb_gc_registration *out)
{
    sb_id id;
    sb_err err;

    /* Entra client ids are GUIDs in any case; ours are stored lower-cased. */
    if (!client_id || strlen(client_id) != SB_ID_LEN)
        return SB_ERR_UNAUTHORIZED;
    for (size_t i = 0; i <= SB_ID_LEN; i++)
        id[i] = (char)tolower((unsigned char)client_id[i]);
    if (!sb_id_valid(id))
        return SB_ERR_UNAUTHORIZED;
    err = store_gc_registration_get(ctx->store, id, out);
    return err == SB_ERR_NOT_FOUND ? SB_ERR_UNAUTHORIZED : err;
}

sb_err gc_secret_check(const struct sb_gc_registration *reg, const char *secret)
{
    unsigned char h[32];

    crypto_hash_sha256(h, (const unsigned char *)secret, strlen(secret));
    return sodium_memcmp(h, reg->secret_hash, sizeof(h)) == 0 ? SB_OK : SB_ERR_UNAUTHORIZED;
}

json_t *gc_render_registration(const struct sb_gc_registration *r)
{
    return json_pack("{s:s,s:s,s:s?,s:s,s:b,s:s}", "id", r->id, "clientId", r->id, "appId",
                     r->app_id[0] ? r->app_id : NULL, "displayName", r->display_name,
                     "hasCertificate", r->public_key[0] != '\0', "createdDateTime", r->created);
}

sb_err gc_registration_list(struct sb_ctx *ctx, const struct sb_principal *who,
                            struct sb_gc_registration **out, size_t *n, struct sb_diag *diag)
{
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    return err ? err : store_gc_registration_list(ctx->store, out, n);
}

sb_err gc_registration_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                              struct sb_diag *diag)
{
    struct sb_audit audit;
    sb_err err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);

    if (!err)
        err = org_audit_entry(ctx, who->user_id, who->display_name, "appRegistration.delete", id,
                              NULL, NULL, &audit);
    if (err)
        return err;
    err = store_gc_registration_delete(ctx->store, id, &audit);
    org_audit_entry_free(&audit);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "app registration '%s' not found", id);
    return err;
}

static json_t *render_connections(struct sb_ctx *ctx, const char *client_id)
{
    struct sb_gc_connection *all = NULL;
    json_t *v = json_array();
    size_t n = 0;

    if (!v || store_gc_connection_list(ctx->store, client_id, &all, &n) != SB_OK)
        return v;
    for (size_t i = 0; i < n; i++) {
        int64_t items = 0;

        (void)store_gc_item_count(ctx->store, all[i].pk, &items);
        json_array_append_new(v, json_pack("{s:s,s:s,s:s,s:s,s:I}", "id", all[i].id, "name",
                                           all[i].name, "state", all[i].state, "clientId",
                                           client_id, "itemCount", (json_int_t)items));
    }
    store_gc_connection_free_array(all, n);
    return v;
}

sb_err gc_admin_list(struct sb_ctx *ctx, const struct sb_principal *who, json_t **out,
                     struct sb_diag *diag)
{
    struct sb_app *apps = NULL;
    struct sb_gc_registration *regs = NULL;
    size_t napps = 0, nregs = 0;
    json_t *value = json_array(), *unlinked = json_array();
    sb_err err;

    *out = NULL;
    if ((err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag)))
        goto out;
    if (!value || !unlinked) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = store_app_list(ctx->store, NULL, &apps, &napps)) ||
        (err = store_gc_registration_list(ctx->store, &regs, &nregs)))
        goto out;
    for (size_t i = 0; i < napps; i++) {
        struct package_info *info;
        struct sb_app app;
        struct sb_gc_switch sw = {0};
        json_t *entry, *clients = json_array(), *conns = json_array(), *notif = NULL;

        if (gc_app_info(ctx, apps[i].id, &app, &info) != SB_OK) {
            json_decref(clients);
            json_decref(conns);
            continue;
        }
        for (size_t r = 0; clients && conns && r < nregs; r++)
            if (!strcmp(regs[r].app_id, app.id)) {
                json_array_append_new(clients, gc_render_registration(&regs[r]));
                json_t *more = render_connections(ctx, regs[r].id);

                if (more)
                    json_array_extend(conns, more);
                json_decref(more);
            }
        if (store_gc_switch_get(ctx->store, app.id, &sw) == SB_OK && sw.job_id[0])
            notif = gc_notification_state(ctx, sw.job_id);
        entry = json_pack("{s:s,s:s,s:s,s:s,s:b,s:s?,s:o?,s:o,s:o}", "appId", app.id, "connectorId",
                          app.external_id, "displayName", app.display_name, "notificationUrl",
                          info->notification_url, "enabled", sw.enabled, "updatedDateTime",
                          sw.updated[0] ? sw.updated : NULL, "notification", notif, "registrations",
                          clients ? clients : json_array(), "connections",
                          conns ? conns : json_array());
        info_release(info);
        store_app_free(&app);
        if (!entry) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        json_array_append_new(value, entry);
    }
    for (size_t r = 0; r < nregs; r++)
        if (!regs[r].app_id[0])
            json_array_append_new(unlinked, gc_render_registration(&regs[r]));
    *out = json_pack("{s:O,s:O}", "value", value, "otherRegistrations", unlinked);
    err = *out ? SB_OK : SB_ERR_NOMEM;
out:
    json_decref(value);
    json_decref(unlinked);
    store_app_free_array(apps, napps);
    free(regs);
    return err;
}

sb_err gc_switch_set(struct sb_ctx *ctx, const struct sb_principal *who, const char *app_id,
                     bool enabled, struct sb_gc_switch *out, struct sb_diag *diag)
{
    struct package_info *info;
    struct sb_app app;
    struct sb_gc_switch before = {0};
    struct sb_outbox_job job;
    struct sb_audit audit = {0};
    unsigned char raw[32];
    char *payload = NULL;
    json_t *b = NULL, *a = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_ADMIN, NULL, diag);
    if (err)
        return err;
    err = gc_app_info(ctx, app_id, &app, &info);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound",
                       "app '%s' not found in the organisation catalog with a graphConnector",
                       app_id);
    if (err)
        return err;
    (void)store_gc_switch_get(ctx->store, app.id, &before);
    snprintf(out->app_id, sizeof(out->app_id), "%s", app.id);
    out->enabled = enabled;
    /* A new opaque ticket for every notification: only the latest one creates connections. */
    sb_random(ctx, raw, sizeof(raw));
    sodium_bin2base64(out->ticket, sizeof(out->ticket), raw, sizeof(raw),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out->updated_by, sizeof(out->updated_by), "%s", who->user_id);
    sb_time_now(ctx, out->updated);
    err = gc_notify_job(ctx, &app, info, out, &job, &payload, diag);
    info_release(info);
    if (err)
        goto out;
    b = json_pack("{s:b}", "enabled", before.enabled);
    a = json_pack("{s:b}", "enabled", enabled);
    if (!b || !a) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = org_audit_entry(ctx, who->user_id, who->display_name,
                               enabled ? "graphConnector.enable" : "graphConnector.disable", app.id,
                               b, a, &audit)))
        goto out;
    /* One transaction: the notification is sent only for a switch that was stored. */
    if ((err = store_gc_switch_set(ctx->store, out, &job, payload, &audit)))
        goto out;
    outbox_kick(ctx->outbox);
out:
    org_audit_entry_free(&audit);
    json_decref(b);
    json_decref(a);
    free(payload);
    store_app_free(&app);
    return err;
}
