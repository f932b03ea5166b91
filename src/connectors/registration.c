/*
 * registration.c: registering, changing and removing connectors in the Connector Developer
 * Dashboard, and their test card. Input rules are in registration.h, checked by
 * registration_input.c.
 *
 * Every field is checked before anything is written. Each operation is one transaction
 * (issue 16): registering writes the catalog entry (apps_prepare: policy, validation, audit),
 * the registration and the audit entries together; a change writes the row only if nobody
 * changed it since it was read (SB_ERR_CONFLICT otherwise, nothing published) and publishes
 * the new package in the same transaction; removal takes the catalog entry with it.
 */
#include "connectors/registration.h"
#include "connectors/registration_input.h"

#include "auth/perm.h"
#include "cards/cards.h"
#include "connectors/apps.h"
#include "connectors/apps_publication.h"
#include "core/ids.h"
#include "org/org.h"
#include "teams/teams.h"
#include "store/apps.h"
#include "store/messages.h"
#include "store/registrations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

static json_t *summary(const struct sb_registration *r)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "connectorId", r->id, "appId", r->app_id, "name",
                     r->name, "version", r->version, "configurationUrl", r->configuration_url,
                     "actionsEnabled", r->actions_enabled);
}

/* Generates d's package (*zip, heap) and prepares its publication to the organisation catalog
 * (policy, validation, audit entry), written later with the registration. */
static sb_err prepare_publication(struct sb_ctx *ctx, const struct sb_principal *who,
                                  struct draft *d, void **zip, size_t *len,
                                  struct apps_publication *pub, struct sb_diag *diag)
{
    sb_err err;

    err = registration_package_build(&d->r, d->logo, d->logo_len, d->outline, d->outline_len, zip,
                                     len);
    if (err)
        return err;
    err = apps_prepare(ctx, who, *zip, *len, NULL, pub, diag);
    if (err) {
        free(*zip);
        *zip = NULL;
    }
    return err;
}

/* The audit entry of a registration change (before/after may be NULL). */
void registration_free(struct sb_registration *r)
{
    store_registration_free(r);
}

void registration_free_array(struct sb_registration *rs, size_t n)
{
    store_registration_free_array(rs, n);
}

/* Moves src's record into out (out's heap fields released first): the draft is freed after. */
static void move_registration(struct sb_registration *out, struct sb_registration *src)
{
    registration_free(out);
    memcpy(out, src, sizeof(*out));
    memset(src, 0, sizeof(*src));
}

static sb_err reg_audit(struct sb_ctx *ctx, const struct sb_principal *who, const char *action,
                        const char *id, json_t *before, json_t *after, struct sb_audit *out)
{
    return org_audit_entry(ctx, who->user_id, who->display_name, action, id, before, after, out);
}

static struct store_registration_blobs blobs_of(const struct draft *d, const void *zip, size_t len)
{
    struct store_registration_blobs b = {d->logo,     d->outline,     zip,
                                         d->logo_len, d->outline_len, len};
    return b;
}

sb_err registration_create(struct sb_ctx *ctx, const struct sb_principal *who, json_t *body,
                           struct sb_registration *out, struct sb_diag *diag)
{
    struct draft *d = calloc(1, sizeof(*d));
    struct apps_publication *pub = calloc(1, sizeof(*pub));
    struct sb_audit audit = {0};
    struct store_registration_blobs b;
    void *zip = NULL;
    size_t len = 0;
    json_t *after = NULL;
    sb_err err;

    if ((err = sb_can(ctx, who, SB_ACT_CONNECTOR_REGISTER, NULL, diag)))
        goto out;
    if (!d || !pub) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = registration_apply(ctx, body, d, diag)))
        goto out;
    sb_id_new(ctx, d->r.id);
    sb_id_new(ctx, d->r.app_id);
    snprintf(d->r.version, sizeof(d->r.version), "1.0.0");
    memcpy(d->r.created_by, who->user_id, sizeof(d->r.created_by));
    sb_time_now(ctx, d->r.created);
    memcpy(d->r.updated, d->r.created, sizeof(d->r.updated));
    if ((err = prepare_publication(ctx, who, d, &zip, &len, pub, diag)))
        goto out;
    if (!(after = summary(&d->r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = reg_audit(ctx, who, "connector.register", d->r.id, NULL, after, &audit)))
        goto out;
    /* The catalog entry, the registration and both audit entries: one transaction. */
    b = blobs_of(d, zip, len);
    if ((err = store_registration_insert(ctx->store, &d->r, &b, &pub->w, &audit)))
        goto out;
    move_registration(out, &d->r);
out:
    json_decref(after);
    org_audit_entry_free(&audit);
    if (pub)
        apps_publication_free(pub);
    free(pub);
    free(zip);
    registration_draft_free(d);
    return err;
}

static sb_err not_found(struct sb_diag *diag, const char *id)
{
    return sb_fail(diag, SB_ERR_NOT_FOUND, "NotFound", "connector registration '%.64s' not found",
                   id);
}

/* "a.b.c" -> "a.b.(c+1)" */
static void bump(char *version, size_t cap)
{
    unsigned long a = 1, b = 0, c = 0;

    if (sscanf(version, "%lu.%lu.%lu", &a, &b, &c) != 3 || c >= 999999999UL) {
        a = a < 999999999UL ? a + 1 : 1;
        b = c = 0;
    } else {
        c++;
    }
    snprintf(version, cap, "%lu.%lu.%lu", a, b, c);
}

static sb_err custom_apps_allowed(struct sb_ctx *ctx, struct sb_diag *diag)
{
    struct org_settings org;
    sb_err err = org_settings_get(ctx, &org);

    if (!err && !org.custom_apps_allowed)
        err = sb_fail(diag, SB_ERR_FORBIDDEN, "CustomAppsDisabled",
                      "custom connector apps are not available in this cloud environment "
                      "(GCC, GCCH and DoD do not allow them)");
    return err;
}

sb_err registration_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           json_t *body, struct sb_registration *out, struct sb_diag *diag)
{
    struct draft *d = calloc(1, sizeof(*d));
    struct apps_publication *pub = calloc(1, sizeof(*pub));
    struct sb_audit audit = {0};
    struct store_registration_blobs b;
    char old_version[sizeof(d->r.version)];
    json_t *before = NULL, *after = NULL;
    void *zip = NULL;
    size_t len = 0;
    sb_err err;

    if (!d || !pub) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = store_registration_get(ctx->store, id, &d->r);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (!err)
        err = store_registration_blob(ctx->store, id, STORE_REG_LOGO, (void **)&d->logo,
                                      &d->logo_len);
    if (!err)
        err = store_registration_blob(ctx->store, id, STORE_REG_OUTLINE, (void **)&d->outline,
                                      &d->outline_len);
    if (err == SB_ERR_NOT_FOUND && !diag->code[0])
        err = not_found(diag, id);
    if (err)
        goto out;
    memcpy(old_version, d->r.version, sizeof(old_version));
    before = summary(&d->r);
    if ((err = registration_apply(ctx, body, d, diag)) || (err = custom_apps_allowed(ctx, diag)))
        goto out;
    bump(d->r.version, sizeof(d->r.version));
    sb_time_now(ctx, d->r.updated);
    if ((err = prepare_publication(ctx, who, d, &zip, &len, pub, diag)))
        goto out;
    if (!before || !(after = summary(&d->r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err =
             reg_audit(ctx, who, "connector.registration.update", d->r.id, before, after, &audit)))
        goto out;
    /* The conditional write decides between concurrent changes, and the winner's package is
     * published in the same transaction: the catalog always carries the stored version. */
    b = blobs_of(d, zip, len);
    err = store_registration_update(ctx->store, &d->r, old_version, &b, &pub->w, &audit);
    if (err == SB_ERR_CONFLICT)
        err = sb_fail(diag, err, "Conflict",
                      "the registration was changed meanwhile; load it again and retry");
    else if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (err)
        goto out;
    move_registration(out, &d->r);
out:
    json_decref(before);
    json_decref(after);
    org_audit_entry_free(&audit);
    if (pub)
        apps_publication_free(pub);
    free(pub);
    free(zip);
    registration_draft_free(d);
    return err;
}

sb_err registration_delete(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                           struct sb_diag *diag)
{
    struct sb_registration *r = calloc(1, sizeof(*r));
    struct sb_audit audit = {0}, app_audit = {0};
    struct sb_app *app = calloc(1, sizeof(*app));
    json_t *before = NULL, *app_before = NULL;
    bool listed = false;
    sb_err err;

    if (!r || !app) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = store_registration_get(ctx->store, id, r);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
    if (err)
        goto out;
    /* An administrator may have removed the catalog entry already. */
    err = store_app_get(ctx->store, r->catalog_id, app);
    if (err && err != SB_ERR_NOT_FOUND)
        goto out;
    listed = !err;
    if (listed && (!(app_before = apps_summary(app)) ||
                   (err = org_audit_entry(ctx, who->user_id, who->display_name, "app.delete",
                                          r->catalog_id, app_before, NULL, &app_audit)))) {
        err = err ? err : SB_ERR_NOMEM;
        goto out;
    }
    if (!(before = summary(r))) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if ((err = reg_audit(ctx, who, "connector.unregister", id, before, NULL, &audit)))
        goto out;
    /* The registration and its catalog entry go together. */
    err = store_registration_delete(ctx->store, id, r->catalog_id, listed ? &app_audit : NULL,
                                    &audit);
    if (err == SB_ERR_NOT_FOUND)
        err = not_found(diag, id);
out:
    json_decref(before);
    json_decref(app_before);
    org_audit_entry_free(&audit);
    org_audit_entry_free(&app_audit);
    store_app_free(app);
    free(app);
    registration_free(r);
    free(r);
    return err;
}

static void new_attachment_id(void *arg, char out[37])
{
    sb_id_new(arg, out);
}

sb_err registration_test_card(struct sb_ctx *ctx, const struct sb_principal *who,
                              const struct sb_registration *r, const char *team_id,
                              const char *channel_id, struct sb_message *out, struct sb_diag *diag)
{
    struct card_message card = {0};
    char title[200], *text = NULL, *action_body = NULL;
    sb_id correlation;
    json_t *j = NULL, *ab = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if ((err = custom_apps_allowed(ctx, diag)))
        return err;
    if (!r->actions_enabled || !r->actions_url[0])
        return BAD("this connector has no actions: set actionsEnabled and actionsUrl first");
    snprintf(title, sizeof(title), "Test card from %s", r->name);
    /* What an action execution sends as Card-Correlation-Id; "@id" names the action. */
    sb_id_new(ctx, correlation);
    ab = json_pack("{s:s,s:s,s:b}", "connectorId", r->id, "action", "test", "test", 1);
    action_body = ab ? json_dumps(ab, JSON_COMPACT) : NULL;
    if (action_body)
        j = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,"
                      "s:[{s:s,s:s,s:[{s:s,s:s},{s:s,s:s}]}],"
                      "s:[{s:s,s:s,s:s,s:s,s:s,s:s}]}",
                      "@type", "MessageCard", "@context", "https://schema.org/extensions",
                      "correlationId", correlation, "themeColor", "464EB8", "summary", title,
                      "title", title, "text",
                      "This card was sent from the Connector Developer Dashboard. Its action "
                      "posts to the connector's actions URL.",
                      "sections", "activityTitle", r->name, "activitySubtitle",
                      "Connector Developer Dashboard", "facts", "name", "Connector id", "value",
                      r->id, "name", "Sent by", "value", who->display_name, "potentialAction",
                      "@type", "HttpPOST", "@id", "testAction", "name", "Run test action", "target",
                      r->actions_url, "body", action_body, "bodyContentType", "application/json");
    text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    if (!text) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    err = card_message_parse(text, strlen(text), "application/json", new_attachment_id, ctx, &card,
                             diag);
    if (err)
        goto out;
    sb_id_new(ctx, out->id);
    snprintf(out->team_id, sizeof(out->team_id), "%s", team_id);
    snprintf(out->channel_id, sizeof(out->channel_id), "%s", channel_id);
    sb_time_now(ctx, out->created);
    snprintf(out->from_kind, sizeof(out->from_kind), "application");
    memcpy(out->from_id, r->id, sizeof(out->from_id));
    snprintf(out->from_name, sizeof(out->from_name), "%s", r->name);
    snprintf(out->from_image, sizeof(out->from_image), "/v1.0/appCatalogs/teamsApps/%s/icon",
             r->catalog_id);
    snprintf(out->body_type, sizeof(out->body_type), "html");
    out->body = card.body;
    out->summary = card.summary;
    out->attachments = card.attachments;
    out->card_text = card.card_text;
    card.body = card.summary = card.attachments = card.card_text = NULL;
    err = store_message_append(ctx->store, out);
    if (err) {
        store_message_free(out);
        goto out;
    }
    teams_message_stored(ctx);
out:
    card_message_free(&card);
    free(text);
    free(action_body);
    json_decref(j);
    json_decref(ab);
    return err;
}
