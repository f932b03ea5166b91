/*
 * test_atomic.c: one transaction per user-visible operation (issue 16, item 8), on SQLite.
 *
 * Each operation runs with the store's fault plan failing its 1st, 2nd, ... statement in
 * turn (ctx_fixture.h, src/store/fault.c) until it runs through. Every failed run must answer
 * an error and leave the database exactly as before (no operation row without its job, no
 * notification job without the switch it announces, no registration without its catalog
 * entry, no setting of a PATCH without the others, no change without its audit entry, nor
 * the other way round); the run that goes
 * through must leave all of it. The database is read with a connection of the test's own.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "connectors/apps.h"
#include "connectors/configs.h"
#include "connectors/registration.h"
#include "forward/forward.h"
#include "ctx_fixture.h"
#include "graphconn/graphconn.h"
#include "org/org.h"
#include "services/services.h"
#include "teams/teams.h"
#include "webhooks/webhooks.h"
#include "store/users.h"
#include "store/teams.h"
#include "store/connectors.h"
#include "store/graphconn.h"

#include <sqlite3.h>
#include <zip.h>

#define ADMIN_ID "00000000-0000-4000-8000-00000000ad01"
#define APP_CONNECTOR_ID "0f0e0d0c-0b0a-4908-8706-050403020100"

static const struct sb_principal admin = {
    .user_id = ADMIN_ID, .display_name = "Admin", .upn = "admin", .is_admin = true};

/* ---- reading the database as it is on disk ---- */

/* The first column of the first row of sql (one text parameter arg, or none), as text. */
static void query_text(struct cfx *f, const char *sql, const char *arg, char *out, size_t cap)
{
    char path[128];
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;

    snprintf(path, sizeof(path), "%s/t.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
    assert_int_equal(sqlite3_step(s), SQLITE_ROW);
    snprintf(out, cap, "%s",
             sqlite3_column_text(s, 0) ? (const char *)sqlite3_column_text(s, 0) : "");
    sqlite3_finalize(s);
    sqlite3_close(db);
}

static int64_t count(struct cfx *f, const char *sql, const char *arg)
{
    char path[128];
    sqlite3 *db = NULL;
    sqlite3_stmt *s = NULL;
    int64_t n = -1;

    snprintf(path, sizeof(path), "%s/t.db", f->dir);
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (arg)
        sqlite3_bind_text(s, 1, arg, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(s) == SQLITE_ROW)
        n = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    sqlite3_close(db);
    assert_true(n >= 0);
    return n;
}

/* Everything an operation of this file may write, as one fingerprint per table: row counts
 * and a digest of the columns that change. Equal fingerprints = nothing was written. */
static const char *const tables[] = {
    "SELECT COUNT(*) FROM outbox",
    "SELECT COUNT(*) FROM audit",
    "SELECT COUNT(*) FROM apps",
    "SELECT COALESCE(SUM(LENGTH(version || updated_at || id)), 0) FROM apps",
    "SELECT COUNT(*) FROM connector_registrations",
    "SELECT COALESCE(SUM(LENGTH(version || name || catalog_id)), 0) FROM connector_registrations",
    "SELECT COUNT(*) FROM gc_registrations",
    "SELECT COUNT(*) FROM gc_switches",
    "SELECT COALESCE(SUM(enabled + LENGTH(ticket || job_id)), 0) FROM gc_switches",
    "SELECT COUNT(*) FROM gc_operations",
    "SELECT COUNT(*) || ':' || COALESCE(GROUP_CONCAT(key || '=' || value, ','), '') FROM "
    "(SELECT key, value FROM settings ORDER BY key)",
    "SELECT COALESCE(GROUP_CONCAT(allow_connectors || '/' || COALESCE(connectors_enabled, 'n'), "
    "','), '') FROM teams",
    "SELECT COALESCE(GROUP_CONCAT(name || ':' || settings || ':' || url_nonce || ':' || "
    "COALESCE(deleted_at, ''), ','), '') FROM connectors",
    "SELECT COUNT(*) || ':' || COALESCE(GROUP_CONCAT(HEX(hash), ','), '') FROM "
    "(SELECT hash FROM tokens ORDER BY hash)",
    "SELECT COUNT(*) FROM messages",
    "SELECT COUNT(*) || ':' || COALESCE(GROUP_CONCAT(name || updated || url, ','), '') FROM "
    "forwards",
    "SELECT COUNT(*) FROM forward_deliveries",
};
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

typedef char fingerprint[NTABLES][512];

static void snapshot(struct cfx *f, fingerprint out)
{
    for (size_t i = 0; i < NTABLES; i++)
        query_text(f, tables[i], NULL, out[i], sizeof(out[i]));
}

static void expect_unchanged(struct cfx *f, fingerprint before, long step)
{
    fingerprint now;

    snapshot(f, now);
    for (size_t i = 0; i < NTABLES; i++)
        if (strcmp(now[i], before[i]) != 0)
            fail_msg("statement %ld failed, yet %s went from %s to %s: half done", step, tables[i],
                     before[i], now[i]);
}

typedef sb_err (*operation)(struct cfx *f, void *arg);

/* Fails statement 1, 2, ... of op until it runs through; returns how many statements the
 * successful run took. Every failed run must report the failure and change nothing. */
static long every_step(struct cfx *f, operation op, void *arg)
{
    fingerprint before;

    snapshot(f, before);
    for (long n = 1;; n++) {
        sb_err err;
        long seen;

        store_fault_arm(f->fault, n);
        err = op(f, arg);
        seen = store_fault_seen(f->fault);
        store_fault_arm(f->fault, 0);
        if (seen < n) {
            assert_int_equal(err, SB_OK);
            return seen;
        }
        if (err == SB_OK)
            fail_msg("statement %ld of %ld failed, yet the operation reported success", n, seen);
        expect_unchanged(f, before, n);
    }
}

/* ---- a catalog app with a graphConnector ---- */

static void png_header(unsigned w, unsigned h, unsigned char out[45])
{
    static const unsigned char head[16] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n',
                                           0,    0,   0,   13,  'I',  'H',  'D',  'R'};
    static const unsigned char iend[12] = {0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xAE, 0x42, 0x60, 0x82};

    memcpy(out, head, 16);
    for (int i = 0; i < 4; i++) {
        out[16 + i] = (unsigned char)(w >> (24 - 8 * i));
        out[20 + i] = (unsigned char)(h >> (24 - 8 * i));
    }
    memcpy(out + 24, "\x08\x06\x00\x00\x00\x00\x00\x00\x00", 9);
    memcpy(out + 33, iend, 12);
}

static const char manifest[] =
    "{\"$schema\":\"https://developer.microsoft.com/json-schemas/teams/v1.17/"
    "MicrosoftTeams.schema.json\",\"manifestVersion\":\"1.17\","
    "\"id\":\"6a1c9a1e-2b3c-4d5e-8f90-a1b2c3d4e5f6\",\"version\":\"1.0.0\","
    "\"name\":{\"short\":\"Wiki\",\"full\":\"Contoso wiki\"},"
    "\"description\":{\"short\":\"The wiki\",\"full\":\"Every page of the wiki.\"},"
    "\"developer\":{\"name\":\"Contoso\",\"websiteUrl\":\"https://contoso.example\","
    "\"privacyUrl\":\"https://contoso.example/privacy\","
    "\"termsOfUseUrl\":\"https://contoso.example/terms\"},"
    "\"icons\":{\"color\":\"color.png\",\"outline\":\"outline.png\"},\"accentColor\":\"#FFFFFF\","
    "\"connectors\":[{\"connectorId\":\"" APP_CONNECTOR_ID "\","
    "\"configurationUrl\":\"https://contoso.example/configure\",\"scopes\":[\"team\"]}],"
    "\"graphConnector\":{\"notificationUrl\":\"https://contoso.example/notify\"},"
    "\"validDomains\":[\"contoso.example\"]}";

static unsigned char *graph_package(size_t *len)
{
    unsigned char color[45], outline[45], *out;
    const struct {
        const char *name;
        const void *data;
        size_t len;
    } files[] = {{"manifest.json", manifest, sizeof(manifest) - 1},
                 {"color.png", color, sizeof(color)},
                 {"outline.png", outline, sizeof(outline)}};
    zip_error_t zerr;
    zip_source_t *src;
    zip_stat_t st;
    zip_t *za;

    png_header(192, 192, color);
    png_header(32, 32, outline);
    zip_error_init(&zerr);
    assert_non_null(src = zip_source_buffer_create(NULL, 0, 0, &zerr));
    zip_source_keep(src);
    assert_non_null(za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &zerr));
    for (size_t i = 0; i < 3; i++) {
        zip_source_t *fs = zip_source_buffer(za, files[i].data, files[i].len, 0);

        assert_non_null(fs);
        assert_true(zip_file_add(za, files[i].name, fs, ZIP_FL_ENC_RAW) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_stat(src, &st), 0);
    assert_int_equal(zip_source_open(src), 0);
    assert_non_null(out = malloc(st.size));
    assert_int_equal(zip_source_read(src, out, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&zerr);
    *len = st.size;
    return out;
}

/* Publishes the graphConnector app and registers an app linked to it: the switch's setting. */
static void graph_app(struct cfx *f, struct sb_app *app, struct sb_gc_registration *reg)
{
    char secret[GC_SECRET_LEN + 1];
    struct sb_diag diag = {{0}, {0}};
    size_t len;
    unsigned char *zip = graph_package(&len);
    bool updated;
    json_t *body;

    if (apps_publish(&f->ctx, &admin, zip, len, NULL, app, &updated, &diag) != SB_OK)
        fail_msg("publish: %s", diag.message);
    free(zip);
    body = json_pack("{s:s,s:s}", "displayName", "Wiki crawler", "appId", app->id);
    if (gc_registration_create(&f->ctx, &admin, body, reg, secret, &diag) != SB_OK)
        fail_msg("registration: %s", diag.message);
    json_decref(body);
}

/* ---- the Graph connector switch: switch, notification job and audit entry ---- */

struct switch_run {
    const char *app_id;
    bool enabled;
    struct sb_gc_switch sw;
};

static sb_err switch_op(struct cfx *f, void *arg)
{
    struct switch_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return gc_switch_set(&f->ctx, &admin, r->app_id, r->enabled, &r->sw, &diag);
}

static void test_switch(void **state)
{
    struct cfx *f = *state;
    struct sb_gc_registration reg;
    struct sb_gc_switch stored;
    struct sb_app app = {0};
    int64_t jobs, audits;

    graph_app(f, &app, &reg);
    for (int i = 0; i < 2; i++) {
        struct switch_run r;

        memset(&r, 0, sizeof(r));
        r.app_id = app.id;
        r.enabled = i == 0;

        jobs = count(f, "SELECT COUNT(*) FROM outbox WHERE kind = 'gc.notify'", NULL);
        audits = count(f, "SELECT COUNT(*) FROM audit", NULL);
        assert_true(every_step(f, switch_op, &r) >= 3); /* switch, job, audit */
        /* Ran through: the switch as announced, its job, its audit entry. */
        assert_int_equal(store_gc_switch_get(f->ctx.store, app.id, &stored), SB_OK);
        assert_int_equal(stored.enabled, i == 0);
        assert_string_equal(stored.job_id, r.sw.job_id);
        assert_string_equal(stored.ticket, r.sw.ticket);
        assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox WHERE kind = 'gc.notify'", NULL),
                         jobs + 1);
        assert_int_equal(
            count(f,
                  "SELECT COUNT(*) FROM outbox WHERE id = ? AND payload LIKE '%connectorsTicket%'",
                  stored.job_id),
            1);
        assert_int_equal(count(f, "SELECT COUNT(*) FROM audit", NULL), audits + 1);
    }
    apps_free(&app);
}

/* ---- app registrations of Graph connectors: the row and its audit entry ---- */

struct reg_run {
    const char *app_id;
    struct sb_gc_registration reg;
};

static sb_err gc_reg_create_op(struct cfx *f, void *arg)
{
    struct reg_run *r = arg;
    char secret[GC_SECRET_LEN + 1];
    struct sb_diag diag = {{0}, {0}};
    json_t *body = json_pack("{s:s}", "displayName", "Crawler");
    sb_err err = gc_registration_create(&f->ctx, &admin, body, &r->reg, secret, &diag);

    json_decref(body);
    return err;
}

static sb_err gc_reg_delete_op(struct cfx *f, void *arg)
{
    struct reg_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return gc_registration_delete(&f->ctx, &admin, r->reg.id, &diag);
}

static void test_gc_registration(void **state)
{
    struct cfx *f = *state;
    struct reg_run r;

    memset(&r, 0, sizeof(r));
    assert_true(every_step(f, gc_reg_create_op, &r) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM gc_registrations WHERE id = ?", r.reg.id), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE target = ?", r.reg.id), 1);
    assert_true(every_step(f, gc_reg_delete_op, &r) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM gc_registrations WHERE id = ?", r.reg.id), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE target = ?", r.reg.id), 2);
}

/* ---- a schema: the operation row and the job that runs it ---- */

struct schema_run {
    struct sb_principal app;
    char op_id[SB_ID_LEN + 1];
};

static sb_err schema_op(struct cfx *f, void *arg)
{
    struct schema_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    json_t *body = json_pack("{s:s,s:[{s:s,s:s,s:b,s:b,s:[s]}]}", "baseType",
                             "microsoft.graph.externalItem", "properties", "name", "title", "type",
                             "String", "isSearchable", 1, "isRetrievable", 1, "labels", "title");
    sb_err err = gc_schema_register(&f->ctx, &r->app, "wiki", body, r->op_id, &diag);

    json_decref(body);
    return err;
}

static void test_schema_operation(void **state)
{
    struct cfx *f = *state;
    struct sb_gc_connection c;
    struct sb_diag diag = {{0}, {0}};
    struct schema_run r;
    struct reg_run reg;
    json_t *body;

    memset(&reg, 0, sizeof(reg));
    memset(&r, 0, sizeof(r));
    assert_int_equal(gc_reg_create_op(f, &reg), SB_OK);
    snprintf(r.app.user_id, sizeof(r.app.user_id), "%s", reg.reg.id);
    r.app.is_app = true;
    r.app.roles = AUTH_ROLE_EXTERNAL_CONNECTION;
    body = json_pack("{s:s,s:s}", "id", "wiki", "name", "Wiki");
    assert_int_equal(gc_connection_create(&f->ctx, &r.app, body, NULL, &c, &diag), SB_OK);
    json_decref(body);
    store_gc_connection_free(&c);

    assert_true(every_step(f, schema_op, &r) >= 2); /* operation, job */
    assert_int_equal(count(f, "SELECT COUNT(*) FROM gc_operations WHERE id = ?", r.op_id), 1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM outbox WHERE kind = 'gc.schema' AND "
                           "json_extract(payload, '$.operation') = ?",
                           r.op_id),
                     1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM outbox WHERE kind = 'gc.schema'", NULL), 1);
}

/* ---- connector registration: the registration, its catalog entry and audit entries ---- */

struct dev_run {
    struct sb_registration r;
    const char *name;
};

static json_t *registration_body(void)
{
    unsigned char png[45];
    char b64[128], url[160];

    png_header(192, 192, png);
    sodium_bin2base64(b64, sizeof(b64), png, sizeof(png), sodium_base64_VARIANT_ORIGINAL);
    snprintf(url, sizeof(url), "data:image/png;base64,%s", b64);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s}", "name", "Build alerts", "logo", url,
                     "shortDescription", "Build results", "longDescription", "Every build.",
                     "websiteUrl", "https://ci.example.org/about", "configurationUrl",
                     "https://ci.example.org/config");
}

static sb_err dev_create_op(struct cfx *f, void *arg)
{
    struct dev_run *d = arg;
    struct sb_diag diag = {{0}, {0}};
    json_t *body = registration_body();
    sb_err err = registration_create(&f->ctx, &admin, body, &d->r, &diag);

    json_decref(body);
    return err;
}

static sb_err dev_update_op(struct cfx *f, void *arg)
{
    struct dev_run *d = arg;
    struct sb_diag diag = {{0}, {0}};
    json_t *body = json_pack("{s:s}", "name", d->name);
    sb_err err = registration_update(&f->ctx, &admin, d->r.id, body, &d->r, &diag);

    json_decref(body);
    return err;
}

static sb_err dev_delete_op(struct cfx *f, void *arg)
{
    struct dev_run *d = arg;
    struct sb_diag diag = {{0}, {0}};

    return registration_delete(&f->ctx, &admin, d->r.id, &diag);
}

/* The catalog carries exactly the registration's stored version under its catalog id. */
static void expect_published(struct cfx *f, const char *id)
{
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM connector_registrations r JOIN apps a ON "
                           "a.id = r.catalog_id AND a.version = r.version AND "
                           "a.display_name = r.name WHERE r.id = ?",
                           id),
                     1);
}

static void test_connector_registration(void **state)
{
    struct cfx *f = *state;
    struct dev_run d;
    int64_t audits;

    memset(&d, 0, sizeof(d));
    audits = count(f, "SELECT COUNT(*) FROM audit", NULL);
    assert_true(every_step(f, dev_create_op, &d) >= 3); /* app, registration, audit */
    expect_published(f, d.r.id);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit", NULL), audits + 2);

    d.name = "Deploy alerts";
    assert_true(every_step(f, dev_update_op, &d) >= 3);
    expect_published(f, d.r.id);
    assert_string_equal(d.r.version, "1.0.1");
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit", NULL), audits + 4);

    /* An administrator removed the catalog entry: the next change publishes a new one, and
     * the registration names it, in the same transaction. */
    {
        struct sb_diag diag = {{0}, {0}};

        assert_int_equal(apps_remove(&f->ctx, &admin, d.r.catalog_id, &diag), SB_OK);
    }
    d.name = "Release alerts";
    assert_true(every_step(f, dev_update_op, &d) >= 4);
    expect_published(f, d.r.id);

    assert_true(every_step(f, dev_delete_op, &d) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM connector_registrations", NULL), 0);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM apps", NULL), 0);
    registration_free(&d.r);
}

/* ---- organisation settings and team switches: the values and their audit entry ---- */

struct policy_run {
    json_t *patch;
    const char *team_id;
    int enabled;
};

static sb_err settings_op(struct cfx *f, void *arg)
{
    struct policy_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return org_settings_patch(&f->ctx, ADMIN_ID, "Admin", r->patch, &diag);
}

static sb_err team_switch_op(struct cfx *f, void *arg)
{
    struct policy_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return org_team_switch(&f->ctx, ADMIN_ID, "Admin", r->team_id, r->enabled, &diag);
}

static sb_err member_settings_op(struct cfx *f, void *arg)
{
    struct policy_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    struct sb_audit audit;
    json_t *after = json_pack("{s:b}", "allowCreateUpdateRemoveConnectors", r->enabled);
    sb_err err = org_audit_entry(&f->ctx, ADMIN_ID, "Admin", "team.memberSettings", r->team_id,
                                 NULL, after, &audit);

    if (!err)
        err = teams_set_member_settings(&f->ctx, r->team_id, r->enabled != 0, &audit, &diag);
    org_audit_entry_free(&audit);
    json_decref(after);
    return err;
}

static void test_policy(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = ADMIN_ID, .upn = "admin", .display_name = "Admin"};
    struct sb_diag diag = {{0}, {0}};
    struct sb_team team;
    struct policy_run r = {0};
    char v[256];

    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(teams_create(&f->ctx, &admin, "Ops", "", &team, &diag), SB_OK);

    /* Three settings in one PATCH: all of them and the audit entry, or nothing. */
    r.patch = json_pack("{s:b,s:s,s:b}", "connectorsEnabledForTeams", 0, "webhookUrlFormat",
                        "legacy", "developersMayRegisterConnectors", 1);
    assert_true(every_step(f, settings_op, &r) >= 4);
    json_decref(r.patch);
    query_text(f, "SELECT GROUP_CONCAT(key, ',') FROM (SELECT key FROM settings ORDER BY key)",
               NULL, v, sizeof(v));
    assert_string_equal(v, "connectorsEnabledForTeams,developersMayRegisterConnectors,"
                           "webhookUrlFormat");
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM audit WHERE action = 'organization.update'", NULL), 1);

    r.team_id = team.id;
    r.enabled = 0;
    assert_true(every_step(f, team_switch_op, &r) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM teams WHERE connectors_enabled = 0", NULL), 1);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM audit WHERE action = 'team.connectors'", NULL),
                     1);

    assert_true(every_step(f, member_settings_op, &r) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM teams WHERE allow_connectors = 0", NULL), 1);
    assert_int_equal(
        count(f, "SELECT COUNT(*) FROM audit WHERE action = 'team.memberSettings'", NULL), 1);
}

/* ---- a service connector's PATCH: new settings and a new name ---- */

struct service_run {
    struct sb_connector cc;
    const char *name;
};

static sb_err service_patch_op(struct cfx *f, void *arg)
{
    struct service_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    json_t *body = json_pack("{s:s}", "secret", "a-new-secret-of-enough-length");
    bool changed = false;
    sb_err err = service_update(&f->ctx, &admin, &r->cc, body, r->name, &changed, &diag);

    json_decref(body);
    return err;
}

static void test_service_patch(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = ADMIN_ID, .upn = "admin", .display_name = "Admin"};
    struct sb_diag diag = {{0}, {0}};
    struct sb_channel *chans = NULL;
    struct sb_team team;
    struct service_run r;
    size_t n = 0;
    json_t *body;

    memset(&r, 0, sizeof(r));
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(teams_create(&f->ctx, &admin, "Dev", "", &team, &diag), SB_OK);
    assert_int_equal(store_channel_list(f->ctx.store, team.id, &chans, &n), SB_OK);
    assert_true(n >= 1);
    body = json_pack("{s:s,s:s}", "kind", "github", "name", "Pushes");
    if (service_create(&f->ctx, &admin, &chans[0], body, &r.cc, &diag) != SB_OK)
        fail_msg("service_create: %s", diag.message);
    json_decref(body);
    free(chans);

    r.name = "Releases";
    assert_true(every_step(f, service_patch_op, &r) >= 3); /* settings + name, two audits */
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM connectors WHERE name = 'Releases' AND "
                           "json_extract(settings, '$.secret') = 'a-new-secret-of-enough-length' "
                           "AND id = ?",
                           r.cc.id),
                     1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM audit WHERE target = ? AND action IN "
                           "('serviceConnector.create', 'serviceConnector.settings', "
                           "'connector.update')",
                           r.cc.id),
                     3);
}

/* ---- webhooks: created, URL replaced and removed, each with its audit entry ---- */

struct hook_run {
    struct sb_channel ch;
    struct sb_connector cc;
};

static sb_err hook_create_op(struct cfx *f, void *arg)
{
    struct hook_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return webhook_create(&f->ctx, &admin, &r->ch, "Builds", NULL, NULL, &r->cc, &diag);
}

static sb_err hook_url_op(struct cfx *f, void *arg)
{
    struct hook_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    struct sb_audit a;
    json_t *after = json_pack("{s:b}", "urlReplaced", 1);
    sb_err err = webhook_audit_entry(&f->ctx, &admin, "webhook.updateUrl", &r->cc, NULL, after, &a);

    if (!err)
        err = webhook_update_url(&f->ctx, &r->cc, &a, &diag);
    org_audit_entry_free(&a);
    json_decref(after);
    return err;
}

static sb_err hook_delete_op(struct cfx *f, void *arg)
{
    struct hook_run *r = arg;
    struct sb_audit a;
    sb_err err = webhook_audit_entry(&f->ctx, &admin, "connector.delete", &r->cc, NULL, NULL, &a);

    if (!err)
        err = store_connector_delete(f->ctx.store, r->cc.id, "2026-11-18T00:00:00Z", &a, 1);
    org_audit_entry_free(&a);
    return err;
}

static void test_webhook_changes(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = ADMIN_ID, .upn = "admin", .display_name = "Admin"};
    struct sb_diag diag = {{0}, {0}};
    struct sb_channel *chans = NULL;
    struct sb_team team;
    struct hook_run r;
    size_t n = 0;

    memset(&r, 0, sizeof(r));
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(teams_create(&f->ctx, &admin, "Ops", "", &team, &diag), SB_OK);
    assert_int_equal(store_channel_list(f->ctx.store, team.id, &chans, &n), SB_OK);
    r.ch = chans[0];
    free(chans);
    assert_true(every_step(f, hook_create_op, &r) >= 2);
    assert_true(every_step(f, hook_url_op, &r) >= 2);
    assert_true(every_step(f, hook_delete_op, &r) >= 2);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM connectors WHERE deleted_at IS NOT NULL", NULL),
                     1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM audit WHERE target = ? AND action IN "
                           "('webhook.create', 'webhook.updateUrl', 'connector.delete')",
                           r.cc.id),
                     3);
}

/* ---- a forward: made, changed, removed with their audit entries; a message and its
 * deliveries (with their outbox jobs) in one transaction ---- */

struct forward_run {
    struct sb_team team;
    struct sb_channel ch;
    struct sb_forward fw;
    const char *name;
};

static sb_err forward_create_op(struct cfx *f, void *arg)
{
    struct forward_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    struct forward_input in = {.name = "Flow",
                               .kind = "workflows",
                               .url = "https://flows.example.com/run?sig=s",
                               .has_people = true,
                               .people = true};

    return forward_create(&f->ctx, &admin, r->ch.id, &in, &r->fw, &diag);
}

static sb_err forward_update_op(struct cfx *f, void *arg)
{
    struct forward_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    struct forward_input in = {.name = r->name};

    return forward_update(&f->ctx, &admin, r->fw.id, &in, &r->fw, &diag);
}

static sb_err forward_post_op(struct cfx *f, void *arg)
{
    struct forward_run *r = arg;
    struct sb_diag diag = {{0}, {0}};
    struct sb_message m = {0};
    sb_err err = teams_message_post(&f->ctx, &admin, r->team.id, r->ch.id, "text", "forward me",
                                    NULL, 0, &m, &diag);

    teams_message_free(&m);
    return err;
}

static sb_err forward_delete_op(struct cfx *f, void *arg)
{
    struct forward_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return forward_delete(&f->ctx, &admin, r->fw.id, &diag);
}

static void test_forward(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = ADMIN_ID, .upn = "admin", .display_name = "Admin"};
    struct sb_diag diag = {{0}, {0}};
    struct sb_channel *chans = NULL;
    struct forward_run r;
    size_t n = 0;

    memset(&r, 0, sizeof(r));
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(teams_create(&f->ctx, &admin, "Ops", "", &r.team, &diag), SB_OK);
    assert_int_equal(store_channel_list(f->ctx.store, r.team.id, &chans, &n), SB_OK);
    r.ch = chans[0];
    free(chans);
    assert_true(every_step(f, forward_create_op, &r) >= 2); /* forward, audit */
    r.name = "Flow 2";
    assert_true(every_step(f, forward_update_op, &r) >= 2);
    /* message, its delivery and the delivery's job */
    assert_true(every_step(f, forward_post_op, &r) >= 3);
    assert_int_equal(count(f, "SELECT COUNT(*) FROM forward_deliveries", NULL), 1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM outbox o JOIN forward_deliveries d ON o.id = "
                           "d.id WHERE o.kind = 'forward'",
                           NULL),
                     1);
    assert_true(every_step(f, forward_delete_op, &r) >= 2);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM audit WHERE target = ? AND action IN "
                           "('forward.create', 'forward.update', 'forward.delete')",
                           r.fw.id),
                     3);
}

/* ---- a connector app's configuration: created and changed, each with its audit entry ---- */

struct config_run {
    struct sb_channel ch;
    struct sb_connector cc;
    struct config_fields fields;
};

static sb_err config_create_op(struct cfx *f, void *arg)
{
    struct config_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return config_create(&f->ctx, &admin, &r->ch, APP_CONNECTOR_ID, &r->fields, NULL, &r->cc,
                         &diag);
}

static sb_err config_update_op(struct cfx *f, void *arg)
{
    struct config_run *r = arg;
    struct sb_diag diag = {{0}, {0}};

    return config_update(&f->ctx, &admin, &r->cc, &r->fields, &diag);
}

static void test_app_configuration(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = ADMIN_ID, .upn = "admin", .display_name = "Admin"};
    struct sb_diag diag = {{0}, {0}};
    struct sb_channel *chans = NULL;
    struct sb_gc_registration reg;
    struct sb_team team;
    struct sb_app app = {0};
    struct config_run r;
    size_t n = 0;

    memset(&r, 0, sizeof(r));
    graph_app(f, &app, &reg); /* its manifest has a connector too */
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(teams_create(&f->ctx, &admin, "Ops", "", &team, &diag), SB_OK);
    assert_int_equal(store_channel_list(f->ctx.store, team.id, &chans, &n), SB_OK);
    r.ch = chans[0];
    free(chans);
    r.fields.config_name = "Wiki pages";
    r.fields.content_url = "https://contoso.example/content";
    assert_true(every_step(f, config_create_op, &r) >= 2);
    r.fields.config_name = "Wiki edits";
    r.fields.content_url = "https://contoso.example/edits";
    assert_true(every_step(f, config_update_op, &r) >= 2);
    assert_string_equal(r.cc.name, "Wiki edits");
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM connectors WHERE id = ? AND name = 'Wiki edits' "
                           "AND json_extract(settings, '$.contentUrl') = "
                           "'https://contoso.example/edits'",
                           r.cc.id),
                     1);
    assert_int_equal(count(f,
                           "SELECT COUNT(*) FROM audit WHERE target = ? AND action IN "
                           "('connector.create', 'connector.update')",
                           r.cc.id),
                     2);
    apps_free(&app);
}

/* ---- the bootstrap token's rotation: the old one goes only if the new one is stored ---- */

static sb_err bootstrap_op(struct cfx *f, void *arg)
{
    struct sb_diag diag = {{0}, {0}};

    return auth_bootstrap_token(&f->ctx, arg, &diag);
}

static bool authenticates(struct cfx *f, const char *secret)
{
    struct sb_principal who;

    return auth_authenticate(&f->ctx, secret, false, &who) == SB_OK && who.is_admin;
}

static void test_bootstrap_token(void **state)
{
    struct cfx *f = *state;
    const char *first = "first-bootstrap-token-0123456789",
               *second = "second-bootstrap-token-98765";
    struct sb_diag diag = {{0}, {0}};
    struct sb_token other = {.id = "00000000-0000-4000-8000-0000000000f1", .kind = SB_TOKEN_API};
    struct sb_user admin_user;

    assert_int_equal(auth_bootstrap_token(&f->ctx, first, &diag), SB_OK);
    assert_true(authenticates(f, first));
    assert_true(every_step(f, bootstrap_op, (void *)second) >= 2); /* delete, insert */
    assert_false(authenticates(f, first));
    assert_true(authenticates(f, second));

    /* A token already held by another credential is refused, and the current one stays. */
    assert_int_equal(store_user_by_upn(f->ctx.store, "admin", &admin_user, NULL), SB_OK);
    memcpy(other.user_id, admin_user.id, sizeof(other.user_id));
    crypto_hash_sha256(other.hash, (const unsigned char *)"taken-by-an-api-token-000", 25);
    assert_int_equal(store_token_insert(f->ctx.store, &other), SB_OK);
    assert_int_equal(auth_bootstrap_token(&f->ctx, "taken-by-an-api-token-000", &diag),
                     SB_ERR_CONFLICT);
    assert_true(authenticates(f, second));
}

/* The plan fails only the statement it names, and only statements of writes. */
static void test_fault_plan(void **state)
{
    struct cfx *f = *state;
    struct sb_user u = {.id = "00000000-0000-4000-8000-000000000001", .upn = "a@x"};
    struct sb_user got;

    store_fault_arm(f->fault, 1);
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_ERR_IO);
    assert_int_equal(store_user_get(f->ctx.store, u.id, &got), SB_ERR_NOT_FOUND);
    assert_int_equal(store_fault_seen(f->fault), 1); /* the read did not count */
    assert_int_equal(store_user_insert(f->ctx.store, &u, NULL), SB_OK);
    assert_int_equal(store_fault_seen(f->fault), 2);
    store_fault_arm(f->fault, 0);
    assert_int_equal(store_user_get(f->ctx.store, u.id, &got), SB_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fault_plan, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_switch, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_gc_registration, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_schema_operation, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_connector_registration, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_policy, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_service_patch, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_bootstrap_token, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_webhook_changes, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_app_configuration, cfx_setup, cfx_teardown),
        cmocka_unit_test_setup_teardown(test_forward, cfx_setup, cfx_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
