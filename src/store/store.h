/*
 * store.h: the only interface to persistence.
 *
 * Services call these domain functions; none of them sees SQL or knows which database is
 * behind it. store_open() picks the database from a URL (`sqlite:<path>`, or
 * `postgres://user:password@host:port/dbname`, also `postgresql://`), applies pending migrations
 * inside a transaction, and starts the write path.
 *
 * Durability: every write function returns only after its change is committed and durable.
 * Writes go through one group-commit thread: concurrent writers are batched into one
 * transaction (each in its own savepoint, so one failing write does not undo the others) and
 * share one fsync. Reads run on a pool of reader connections and see committed data.
 *
 * Errors: SB_ERR_NOT_FOUND when the row is absent, SB_ERR_CONFLICT for a uniqueness violation,
 * SB_ERR_IO for database failures (logged), SB_ERR_NOMEM.
 *
 * Records use fixed-size text fields sized by the limits the services enforce; variable-size
 * fields (message bodies) are heap strings released by the matching *_free function.
 */
#ifndef SB_STORE_H
#define SB_STORE_H

#include "core/sb.h"

#include <stdbool.h>
#include <stdint.h>

struct store;
struct store_outbox_job; /* below, with the outbox; named earlier by writes that add a job */
struct store_audit;      /* below; named earlier by writes that record their audit entry */

struct store_opts {
    const char *url; /* "sqlite:/path/to/file.db" or "postgres://user:pass@host:5432/db" */
    int readers;     /* reader connections in the pool (>= 1) */
};

sb_err store_open(const struct store_opts *opts, struct store **out, struct sb_diag *diag);
/* Waits for queued writes to commit, then closes every connection. */
void store_close(struct store *st);
/* Checks that the database answers a trivial query. */
sb_err store_ping(struct store *st);
/* Writes waiting for the next group-commit batch (a gauge for /metrics). */
size_t store_write_queue_depth(struct store *st);

/* Notifications from the other server processes on the same database (PostgreSQL; with SQLite
 * there are none). Payloads are "m NODE SEQ TEAM" (a message was stored) and
 * "j NODE USER TEAM 1|0" (a membership was added or removed), sent when the write commits.
 * fn runs on a listener thread. Writes made by this process carry store_node_id(). */
typedef void (*store_notify_fn)(void *arg, const char *payload);
sb_err store_listen(struct store *st, store_notify_fn fn, void *arg);
const char *store_node_id(const struct store *st);

/* Pruning (old signing keys, rate windows, a deleted Graph connection's items and groups, the
 * delivery log) deletes at most STORE_PRUNE_BATCH rows per write transaction, so that no
 * single write holds the one writer long. The counters (for tests and diagnostics) cover the
 * pruning that runs as writes of its own. */
#define STORE_PRUNE_BATCH 128
struct store_prune_stats {
    uint64_t transactions; /* prune writes committed */
    uint64_t rows;         /* rows they deleted */
    uint64_t max_rows;     /* the most one of them deleted */
};
void store_prune_stats(struct store *st, struct store_prune_stats *out);

/* True when several server processes may share this database (PostgreSQL): per-process state
 * such as rate-limit buckets must then live in the database. */
bool store_shared(const struct store *st);
/* Counts one post of connector_id in the one-second window window_s, for every process at
 * once; *hits gets the window's count including this post. */
sb_err store_rate_take(struct store *st, const char *connector_id, int64_t window_s, int64_t *hits);

/* ---- sign-in throttling and client-assertion replay (signin.c) ---- */

/* Counts one failed sign-in for each of keys[0..n) in a window of window_ms that opens with
 * the first failure (a key whose window ran out starts a new one). */
sb_err store_signin_fail(struct store *st, const char *const *keys, size_t n, int64_t now_ms,
                         int64_t window_ms);
/* The failures of key in its window if that window opened after since_ms (else 0), and when
 * the window opened. */
sb_err store_signin_failures(struct store *st, const char *key, int64_t since_ms, int64_t *hits,
                             int64_t *first_ms);
/* Forgets the failures of key (a successful sign-in). */
sb_err store_signin_reset(struct store *st, const char *key);
/* Records that client_id used the assertion id jti, valid until exp_ms; SB_ERR_CONFLICT when
 * it was used before and has not expired (a replay). */
sb_err store_assertion_jti_use(struct store *st, const char *client_id, const char *jti,
                               int64_t exp_ms, int64_t now_ms);

/* Installation-wide values (tenant id, keys). */
sb_err store_meta_get(struct store *st, const char *key, char **out);
/* Stores value under key unless the key exists; *out gets the value now stored (caller frees),
 * so concurrent first starts agree on one value. */
sb_err store_meta_init(struct store *st, const char *key, const char *value, char **out);

/* ---- users ---- */

struct store_user {
    sb_id id;
    char upn[SB_NAME_MAX + 1];
    char display_name[SB_NAME_MAX + 1];
    bool is_admin;
    sb_time created;
};

/* SB_ERR_CONFLICT when the userPrincipalName (compared case-insensitively) is taken. */
sb_err store_user_insert(struct store *st, const struct store_user *u, const char *password_hash);
sb_err store_user_get(struct store *st, const char *id, struct store_user *out);
/* *password_hash (may be NULL to skip) is heap-allocated and may be NULL if none is set. */
sb_err store_user_by_upn(struct store *st, const char *upn, struct store_user *out,
                         char **password_hash);
sb_err store_user_list(struct store *st, struct store_user **out, size_t *n);
sb_err store_user_set_password(struct store *st, const char *id, const char *password_hash);
sb_err store_user_set_admin(struct store *st, const char *id, bool is_admin);

/* ---- credentials: API tokens and web sessions, stored as SHA-256 of the secret ---- */

enum store_token_kind { STORE_TOKEN_API = 1, STORE_TOKEN_SESSION = 2, STORE_TOKEN_BOOTSTRAP = 3 };

struct store_token {
    sb_id id;
    sb_id user_id;
    int kind;
    unsigned char hash[32];
    int64_t expires_ms; /* 0 = never */
    char csrf[65];      /* sessions only: the token state-changing requests must echo */
    sb_time created;
};

sb_err store_token_insert(struct store *st, const struct store_token *t);
sb_err store_token_by_hash(struct store *st, const unsigned char hash[32], struct store_token *out);
sb_err store_token_delete(struct store *st, const char *id);
/* Removes every token of the given kind for user. */
sb_err store_token_delete_kind(struct store *st, const char *user_id, int kind);
/* Replaces every token of t's kind for t's user by t, in one transaction (the bootstrap token's
 * rotation): a refused insert (SB_ERR_CONFLICT) keeps the old ones. */
sb_err store_token_replace_kind(struct store *st, const struct store_token *t);

/* ---- teams, channels, members ---- */

struct store_team {
    sb_id id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    bool allow_connectors;  /* memberSettings.allowCreateUpdateRemoveConnectors */
    int connectors_enabled; /* group switch: -1 not set, 0 off, 1 on */
    sb_time created;
};

struct store_channel {
    sb_id id;
    sb_id team_id;
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
    char membership_type[16]; /* "standard" */
    bool is_general;
    sb_time created;
};

enum store_role {
    STORE_ROLE_NONE = 0,
    STORE_ROLE_GUEST = 1,
    STORE_ROLE_MEMBER = 2,
    STORE_ROLE_OWNER = 3
};

struct store_member {
    sb_id id;
    sb_id team_id;
    sb_id user_id;
    int role;                           /* enum store_role */
    char display_name[SB_NAME_MAX + 1]; /* the user's, filled by reads */
    sb_time created;
};

/* Creates the team, its General channel and its first owner in one transaction. */
sb_err store_team_create(struct store *st, const struct store_team *t,
                         const struct store_channel *general, const struct store_member *owner);
sb_err store_team_get(struct store *st, const char *id, struct store_team *out);
/* memberSettings.allowCreateUpdateRemoveConnectors, with its audit entry (may be NULL) in the
 * same transaction. */
sb_err store_team_set_allow_connectors(struct store *st, const char *id, bool allow,
                                       const struct store_audit *audit);
/* The group-level connector switch: -1 (not set), 0 or 1, with its audit entry (may be NULL)
 * in the same transaction. */
sb_err store_team_set_connectors_enabled(struct store *st, const char *id, int enabled,
                                         const struct store_audit *audit);
/* Teams the user is a member of, oldest first. */
sb_err store_team_list_for_user(struct store *st, const char *user_id, struct store_team **out,
                                size_t *n);

/* SB_ERR_CONFLICT when the team already has a channel of that name (case-insensitive). */
sb_err store_channel_insert(struct store *st, const struct store_channel *c);
sb_err store_channel_get(struct store *st, const char *id, struct store_channel *out);
sb_err store_channel_list(struct store *st, const char *team_id, struct store_channel **out,
                          size_t *n);

/* SB_ERR_CONFLICT when the user is already a member. */
sb_err store_member_insert(struct store *st, const struct store_member *m);
sb_err store_member_get(struct store *st, const char *team_id, const char *membership_id,
                        struct store_member *out);
sb_err store_member_list(struct store *st, const char *team_id, struct store_member **out,
                         size_t *n);
/* The user's role in the team; STORE_ROLE_NONE (and SB_OK) when not a member. */
sb_err store_member_role(struct store *st, const char *team_id, const char *user_id, int *role);
/* Deletes a membership; SB_ERR_CONFLICT if it is the team's last owner. */
sb_err store_member_delete(struct store *st, const char *team_id, const char *membership_id);

/* ---- messages ---- */

struct store_message {
    int64_t seq; /* store-wide, increasing; orders messages and resumes event streams */
    sb_id id;
    sb_id team_id;
    sb_id channel_id;
    sb_time created;
    char from_kind[16]; /* "user" or "application" */
    sb_id from_id;
    char from_name[SB_NAME_MAX + 1];
    char body_type[8]; /* "text" or "html" */
    char *body;
    char *summary;        /* may be NULL */
    char *attachments;    /* JSON array text; may be NULL */
    char from_image[128]; /* connectors: path of the sender's avatar, "" when none */
};

/* Appends m durably and sets m->seq. */
sb_err store_message_append(struct store *st, struct store_message *m);
/* Up to limit messages of the channel with seq < before (0 = from the newest), newest first. */
sb_err store_message_page(struct store *st, const char *channel_id, int64_t before, size_t limit,
                          struct store_message **out, size_t *n);
/* Messages with seq > after in teams user_id belongs to (every team when user_id is NULL),
 * oldest first: what an event stream missed. */
sb_err store_message_since(struct store *st, const char *user_id, int64_t after, size_t limit,
                           struct store_message **out, size_t *n);
/* The highest seq stored so far (0 when there is none). */
sb_err store_message_last_seq(struct store *st, int64_t *out);
/* One message by id (heap fields: store_message_free). */
sb_err store_message_get(struct store *st, const char *id, struct store_message *out);
/* Replaces a message's attachments (a card updated by its service); the other processes are
 * told ("u NODE MESSAGE TEAM") so their subscribers see the new card. */
sb_err store_message_set_attachments(struct store *st, const char *id, const char *team_id,
                                     const char *attachments);
/* A team's connector posts from configurations of client type app_type ("groups": the group
 * feed), newest first, seq < before (0 = from the newest). */
sb_err store_message_feed(struct store *st, const char *team_id, const char *app_type,
                          int64_t before, size_t limit, struct store_message **out, size_t *n);
void store_message_free(struct store_message *m);
void store_message_free_array(struct store_message *ms, size_t n);

/* ---- organisation settings: explicit values only (absent = not set) ---- */

sb_err store_setting_get(struct store *st, const char *key, char **value);
/* value NULL removes the explicit value. */
sb_err store_setting_set(struct store *st, const char *key, const char *value);
/* Sets n explicit values (values[i] NULL removes keys[i]) and writes the audit entry (may be
 * NULL) in one transaction: a change of several settings applies whole or not at all. */
sb_err store_settings_put(struct store *st, const char *const *keys, const char *const *values,
                          size_t n, const struct store_audit *audit);

/* ---- connector configurations: incoming webhooks, connector apps, service connectors ---- */

struct store_connector {
    sb_id id;
    char kind[16];         /* "incomingWebhook", "app", or a service connector's kind */
    char connector_id[64]; /* the catalog entry it configures */
    sb_id team_id;
    sb_id channel_id;
    char name[SB_NAME_MAX + 1];
    char image_type[64]; /* "" (none), a MIME type (bytes stored), or "url" */
    sb_id created_by;
    sb_time created;
    char url_format[8]; /* "v2" or "legacy" */
    /* The webhook key: 32 lower-case hex digits (128 random bits), unique. It is the key slot
     * of the connector-shaped URLs and part of every URL signature of the configuration;
     * rotated by an URL update. Never shown except inside those URLs. */
    char url_nonce[33];
    bool deleted;     /* removed: its URLs answer 410 */
    char app_type[8]; /* the client it was made in: "teams" ("" on insert means "teams") */
};

/* Every change of a configuration below writes its audit entries (audits[0..naudits), may be
 * none) in the same transaction: the change and its record commit together. */

/* image/image_len: the avatar bytes (or the https URL's text when image_type is "url").
 * settings: the kind's own fields as JSON object text (NULL = "{}"). */
sb_err store_connector_insert(struct store *st, const struct store_connector *c, const void *image,
                              size_t image_len, const char *settings,
                              const struct store_audit *audits, size_t naudits);
/* The kind's own fields (JSON object text, heap; caller frees). */
sb_err store_connector_settings(struct store *st, const char *id, char **settings);
/* Replaces the settings and, when name is not NULL, the name (the edit flow). */
sb_err store_connector_set_settings(struct store *st, const char *id, const char *name,
                                    const char *settings, const struct store_audit *audits,
                                    size_t naudits);
/* Finds a configuration, removed ones included (c->deleted tells). */
sb_err store_connector_get(struct store *st, const char *id, struct store_connector *out);
/* The same, by its webhook key (url_nonce; a unique index). */
sb_err store_connector_by_key(struct store *st, const char *key, struct store_connector *out);
/* The channel's configurations that are not removed, oldest first. */
sb_err store_connector_list(struct store *st, const char *channel_id, struct store_connector **out,
                            size_t *n);
sb_err store_connector_rename(struct store *st, const char *id, const char *name,
                              const struct store_audit *audits, size_t naudits);
sb_err store_connector_set_url(struct store *st, const char *id, const char *format,
                               const char *nonce, const struct store_audit *audits, size_t naudits);
/* Marks the configuration removed (kept as a tombstone so its URLs answer 410 Gone). */
sb_err store_connector_delete(struct store *st, const char *id, const char *at,
                              const struct store_audit *audits, size_t naudits);
/* The avatar: *data is heap memory (caller frees); SB_ERR_NOT_FOUND when there is none. */
sb_err store_connector_image(struct store *st, const char *id, char *type, size_t type_cap,
                             void **data, size_t *len);

#define STORE_DELIVERIES_KEPT 100 /* per configuration; older entries are pruned */

struct store_delivery {
    int64_t seq;
    sb_id connector_id;
    sb_time at;
    int64_t size;
    int status;
    char error[512];
    sb_id message_id; /* "" when nothing was stored */
};

sb_err store_delivery_append(struct store *st, const struct store_delivery *d);
/* Queues d (copied) for the next commit and returns at once: a refused post is answered
 * without waiting for a disk sync. SB_ERR_THROTTLED (nothing queued) when the writer is far
 * behind, so a flood of refused posts cannot grow its queue without bound. */
sb_err store_delivery_log(struct store *st, const struct store_delivery *d);
/* Newest first; entries queued by store_delivery_log before the call are included. */
sb_err store_delivery_list(struct store *st, const char *connector_id, size_t limit,
                           struct store_delivery **out, size_t *n);
/* Called on the store's writer thread once an asynchronous write committed (err SB_OK) or
 * failed. It must be quick: the next batch waits for it. */
typedef void (*store_done_fn)(void *arg, sb_err err);

/* Stores a webhook's message and its delivery-log entry in one transaction; sets m->seq.
 * Returns at once; done runs after the commit. m and d must stay valid until then. */
sb_err store_webhook_deliver(struct store *st, struct store_message *m,
                             const struct store_delivery *d, store_done_fn done, void *arg);

/* ---- audit log of policy and connector changes ---- */

struct store_audit {
    int64_t seq;
    sb_time at;
    sb_id actor_id; /* "" for the command line */
    char actor_name[SB_NAME_MAX + 1];
    char action[64];  /* e.g. "organization.update", "webhook.create" */
    char target[128]; /* what it applies to: "organization", a team or configuration id */
    char *before;     /* JSON text or NULL */
    char *after;      /* JSON text or NULL */
};

/* Newest first, entries with seq < before (0 = from the newest). */
sb_err store_audit_list(struct store *st, int64_t before, size_t limit, struct store_audit **out,
                        size_t *n);
void store_audit_free_array(struct store_audit *a, size_t n);

/* ---- app packages: the organisation catalog (team_id "") and apps uploaded to a team ---- */

struct store_app {
    sb_id id;             /* Switchboard's id of the catalog entry */
    char external_id[64]; /* the manifest's id */
    sb_id team_id;        /* "" for the organisation catalog */
    char version[32];
    char display_name[SB_NAME_MAX + 1];
    char description[512];
    char developer[SB_NAME_MAX + 1];
    char connector_id[64]; /* "" when the app has no connector */
    char configuration_url[2049];
    char valid_domains[8192]; /* JSON array text */
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

/* A publication: the entry, its icon and package, and its audit entry (may be NULL; its
 * target is set to the entry's id, known only once written). */
struct store_app_write {
    struct store_app *app;
    const void *icon, *package;
    size_t icon_len, package_len;
    struct store_audit *audit;
};

/* Publishes w->app, or replaces the content of the app with the same external id in the same
 * scope (a new version keeps its id): app->id and app->created are set to the stored ones. The
 * entry and its audit entry are one transaction. */
sb_err store_app_put(struct store *st, const struct store_app_write *w);
sb_err store_app_get(struct store *st, const char *id, struct store_app *out);
/* The organisation catalog, and with team_id also that team's uploaded apps; oldest first. */
sb_err store_app_list(struct store *st, const char *team_id, struct store_app **out, size_t *n);
/* The entry that provides connector_id to a channel of team_id (organisation or that team's). */
sb_err store_app_by_connector(struct store *st, const char *team_id, const char *connector_id,
                              struct store_app *out);
/* Removes the entry and writes its audit entry (may be NULL) in one transaction. */
sb_err store_app_delete(struct store *st, const char *id, const struct store_audit *audit);
/* The colour icon (PNG bytes, heap). */
sb_err store_app_icon(struct store *st, const char *id, void **data, size_t *len);

/* ---- connectors registered in the Connector Developer Dashboard ---- */

struct store_registration {
    sb_id id;         /* the connector id */
    sb_id app_id;     /* the generated package's manifest id */
    sb_id catalog_id; /* the organisation catalog entry it published (store_app.id) */
    char name[30 * 4 + 1];
    char short_description[80 * 4 + 1];
    char long_description[4000 * 4 + 1];
    char website_url[2049];
    char configuration_url[2049];
    char valid_domains[8192]; /* JSON array text */
    bool actions_enabled;
    char actions_url[2049]; /* "" without actions */
    char version[32];
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

/* The bytes stored with a registration: the colour logo, the outline icon, the app package. */
struct store_registration_blobs {
    const void *logo, *outline, *package;
    size_t logo_len, outline_len, package_len;
};

enum store_registration_blob { STORE_REG_LOGO, STORE_REG_OUTLINE, STORE_REG_PACKAGE };

/* Stores the registration and publishes its package (app: store_app_put's write) in one
 * transaction, with the audit entries (app->audit, audit; either may be NULL): never a
 * registration without its catalog entry or the other way round. r->catalog_id is set to the
 * entry's id. */
sb_err store_registration_insert(struct store *st, struct store_registration *r,
                                 const struct store_registration_blobs *b,
                                 const struct store_app_write *app,
                                 const struct store_audit *audit);
/* Replaces everything but the ids, creator and creation time, if the stored version still is
 * old_version: SB_ERR_CONFLICT when another change came first, SB_ERR_NOT_FOUND when gone.
 * The new package is published (app) in the same transaction, so the catalog always carries
 * the stored version; r->catalog_id is set to the entry's id (a new one when an administrator
 * had removed the entry). */
sb_err store_registration_update(struct store *st, struct store_registration *r,
                                 const char *old_version, const struct store_registration_blobs *b,
                                 const struct store_app_write *app,
                                 const struct store_audit *audit);
sb_err store_registration_get(struct store *st, const char *id, struct store_registration *out);
/* Those created by created_by, or all when it is NULL; oldest first. */
sb_err store_registration_list(struct store *st, const char *created_by,
                               struct store_registration **out, size_t *n);
/* Removes the registration and its catalog entry catalog_id in one transaction, with audit
 * and, when the entry was still there, app_audit (either may be NULL). SB_ERR_NOT_FOUND (and
 * nothing changed) when the registration is gone. */
sb_err store_registration_delete(struct store *st, const char *id, const char *catalog_id,
                                 const struct store_audit *app_audit,
                                 const struct store_audit *audit);
/* One stored blob (heap; caller frees). */
sb_err store_registration_blob(struct store *st, const char *id, enum store_registration_blob which,
                               void **data, size_t *len);
/* ---- Graph connectors: app registrations, the admin switch, external connections, their
 * schema operations, items with ACLs, external groups, and full-text search ---- */

struct store_gc_registration {
    sb_id id;     /* the client id */
    sb_id app_id; /* the catalog app it belongs to; "" when none */
    char display_name[SB_NAME_MAX + 1];
    unsigned char secret_hash[32];
    char public_key[2048]; /* PEM public key of a certificate credential; "" when none */
    sb_id created_by;
    sb_time created;
};

/* The registration and its audit entry (may be NULL) in one transaction. */
sb_err store_gc_registration_insert(struct store *st, const struct store_gc_registration *r,
                                    const struct store_audit *audit);
sb_err store_gc_registration_get(struct store *st, const char *id,
                                 struct store_gc_registration *out);
sb_err store_gc_registration_list(struct store *st, struct store_gc_registration **out, size_t *n);
/* Deletes the registration and writes its audit entry (may be NULL) in one transaction. */
sb_err store_gc_registration_delete(struct store *st, const char *id,
                                    const struct store_audit *audit);
/* The package zip of a catalog app (heap; caller frees). */
sb_err store_gc_app_package(struct store *st, const char *app_id, void **data, size_t *len);

/* The administrator's on/off switch of a catalog app with a graphConnector. */
struct store_gc_switch {
    sb_id app_id;
    bool enabled;
    char ticket[64]; /* the connectorsTicket sent with the last notification */
    char job_id[64]; /* the outbox job of the last notification ("" when none) */
    sb_id updated_by;
    sb_time updated;
};

/* Turns the switch (sw->job_id names job) and stores the notification job with payload and
 * the audit entry (may be NULL), all in one transaction: the notification goes out only when
 * the state it announces is committed, and always then. */
sb_err store_gc_switch_set(struct store *st, const struct store_gc_switch *sw,
                           const struct store_outbox_job *job, const char *payload,
                           const struct store_audit *audit);
sb_err store_gc_switch_get(struct store *st, const char *app_id, struct store_gc_switch *out);

#define STORE_GC_ID_MAX 32    /* connection ids */
#define STORE_GC_ITEM_MAX 128 /* item and external group ids */

struct store_gc_connection {
    int64_t pk;
    char id[STORE_GC_ID_MAX + 1];
    sb_id owner; /* the registration that created it */
    char name[128 * 4 + 1];
    char description[SB_DESC_MAX + 1];
    char state[16]; /* "draft" or "ready" */
    char connector_id[64];
    char *extra;  /* JSON object text: configuration, activitySettings, searchSettings */
    char *schema; /* JSON object text of the registered schema, NULL before */
    sb_time created;
};

void store_gc_connection_free(struct store_gc_connection *c);
void store_gc_connection_free_array(struct store_gc_connection *c, size_t n);
/* SB_ERR_CONFLICT when the id is taken (by any owner). */
sb_err store_gc_connection_insert(struct store *st, struct store_gc_connection *c);
sb_err store_gc_connection_get(struct store *st, const char *id, struct store_gc_connection *out);
/* owner NULL: every connection. Oldest first. */
sb_err store_gc_connection_list(struct store *st, const char *owner,
                                struct store_gc_connection **out, size_t *n);
sb_err store_gc_connection_count(struct store *st, int64_t *n);
sb_err store_gc_connection_update(struct store *st, const struct store_gc_connection *c);
/* Removes the connection with its items, groups, operations and index entries. */
sb_err store_gc_connection_delete(struct store *st, int64_t pk);
sb_err store_gc_item_count(struct store *st, int64_t conn_pk, int64_t *n);

struct store_gc_operation {
    char id[SB_ID_LEN + 1];
    int64_t conn_pk;
    char status[16]; /* "inprogress", "completed", "failed" */
    char *schema;    /* the schema the operation registers */
    char *error;     /* JSON publicError text when failed, else NULL */
    sb_time created;
};

void store_gc_operation_free(struct store_gc_operation *op);
/* Stores a pending operation and the outbox job (payload JSON text) that carries it out, in
 * one transaction: no operation without its job, no job without its operation. */
sb_err store_gc_operation_insert(struct store *st, const struct store_gc_operation *op,
                                 const struct store_outbox_job *job, const char *payload);
sb_err store_gc_operation_get(struct store *st, const char *id, struct store_gc_operation *out);
/* Finishes an operation: completed stores its schema on the connection and makes the
 * connection ready; failed records error (JSON text). */
sb_err store_gc_operation_finish(struct store *st, const char *id, bool ok, const char *error);

struct store_gc_item {
    int64_t pk;
    int64_t conn_pk;
    char id[STORE_GC_ITEM_MAX + 1];
    char *properties; /* JSON object text */
    char *content;
    char content_type[8]; /* "text" or "html" */
    char *acl;            /* JSON array text, as given */
    sb_time updated;
};

/* One ACL entry as a principal key (see the migration's comment) and whether it denies. */
struct store_gc_ace {
    char key[STORE_GC_ITEM_MAX + 48];
    bool deny;
};

void store_gc_item_free(struct store_gc_item *it);
/* Creates or replaces the item with its ACL and its index entry (title: the searchable
 * properties' text, body: the content as text). *created tells which. */
sb_err store_gc_item_put(struct store *st, const struct store_gc_item *it,
                         const struct store_gc_ace *acl, size_t nacl, const char *title,
                         const char *body, bool *created);
sb_err store_gc_item_get(struct store *st, int64_t conn_pk, const char *id,
                         struct store_gc_item *out);
sb_err store_gc_item_delete(struct store *st, int64_t conn_pk, const char *id);

struct store_gc_group {
    int64_t conn_pk;
    char id[STORE_GC_ITEM_MAX + 1];
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
};

/* SB_ERR_CONFLICT when the group exists. */
sb_err store_gc_group_insert(struct store *st, const struct store_gc_group *g);
sb_err store_gc_group_get(struct store *st, int64_t conn_pk, const char *id,
                          struct store_gc_group *out);
sb_err store_gc_group_update(struct store *st, const struct store_gc_group *g);
sb_err store_gc_group_delete(struct store *st, int64_t conn_pk, const char *id);

struct store_gc_member {
    char id[STORE_GC_ITEM_MAX + 1];
    char type[16]; /* "user", "group", "externalGroup" */
};

/* key: the member's principal key. SB_ERR_CONFLICT when already a member. */
sb_err store_gc_member_add(struct store *st, int64_t conn_pk, const char *group_id,
                           const struct store_gc_member *m, const char *key);
sb_err store_gc_member_remove(struct store *st, int64_t conn_pk, const char *group_id,
                              const char *member_id);
sb_err store_gc_member_list(struct store *st, int64_t conn_pk, const char *group_id,
                            struct store_gc_member **out, size_t *n);

#define STORE_GC_SOURCES_MAX 8

struct store_gc_query {
    const char *user_id;      /* ACL trimming: what this person may see */
    const char *const *terms; /* words, all required */
    size_t nterms;
    const char *sources[STORE_GC_SOURCES_MAX]; /* connection ids; none = every connection */
    size_t nsources;
    int64_t from, size;
};

struct store_gc_hit {
    char connection_id[STORE_GC_ID_MAX + 1];
    char item_id[STORE_GC_ITEM_MAX + 1];
    char *properties;
    char *schema;
    char *title; /* the indexed text, for highlights */
    char *body;
};

void store_gc_hit_free_array(struct store_gc_hit *h, size_t n);
/* Ranked full-text search over ready connections, trimmed by ACL in SQL (a grant matching
 * the person and no deny matching them); *total counts every permitted match. */
sb_err store_gc_search(struct store *st, const struct store_gc_query *q, struct store_gc_hit **out,
                       size_t *n, int64_t *total);

/* ---- signing keys of Switchboard's own tokens (src/auth/jwt.c) ---- */

struct store_signing_key {
    char kid[48];
    int64_t period; /* 1 for the first key, +1 per rotation; unique */
    int64_t created_ms;
    char private_pem[4096]; /* PKCS#8 PEM */
    char n[512];            /* public modulus, base64url */
    char e[16];             /* public exponent, base64url */
};

/* SB_ERR_CONFLICT when a key of that period exists (another process made it first). */
sb_err store_signing_key_insert(struct store *st, const struct store_signing_key *k);
/* Every key, newest (highest period) first (*out is heap; caller frees). */
sb_err store_signing_key_list(struct store *st, struct store_signing_key **out, size_t *n);
/* Deletes the keys created before created_ms (retired keys whose tokens have all expired). */
sb_err store_signing_key_prune(struct store *st, int64_t created_ms);

/* ---- the durable outbox (src/outbox) ---- */

struct store_outbox_job {
    sb_id id;
    char kind[32];
    char state[8]; /* "pending", "done", "failed" */
    int attempts;  /* runs started so far */
    int64_t next_at_ms;
    int64_t created_ms;
    int64_t updated_ms;
    char last_error[512];
};

/* Inserts a pending job (j->state, attempts ignored) with its payload (JSON text). */
sb_err store_outbox_insert(struct store *st, const struct store_outbox_job *j, const char *payload);
/* The job; *payload (may be NULL to skip) is heap JSON text. */
sb_err store_outbox_get(struct store *st, const char *id, struct store_outbox_job *out,
                        char **payload);
/* The earliest next_at of a pending job whose lease has run out at now_ms (*due = INT64_MAX
 * when there is none): a read, so an idle worker does not write. */
sb_err store_outbox_next_due(struct store *st, int64_t now_ms, int64_t *due);
/* Claims one due pending job for owner until lease_until_ms and counts the attempt; at most one
 * process wins a job (the UPDATE re-checks the lease). SB_ERR_NOT_FOUND when none is due. */
sb_err store_outbox_claim(struct store *st, int64_t now_ms, int64_t lease_until_ms,
                          const char *owner, struct store_outbox_job *out, char **payload);
/* Records the result of a run by owner: state "pending" (retry at next_at_ms), "done" or
 * "failed". SB_ERR_NOT_FOUND when owner no longer holds the lease. */
sb_err store_outbox_finish(struct store *st, const char *id, const char *owner, const char *state,
                           int64_t next_at_ms, const char *last_error, int64_t now_ms);
/* Clears every lease (a single process owning the database restarts after a crash). */
sb_err store_outbox_release_leases(struct store *st);

/* ---- actionable messages: one row per click on a card action (src/actions) ---- */

#define STORE_ACTION_ID_MAX 256

struct store_action_execution {
    sb_id id; /* also the id of its outbox job */
    sb_id message_id;
    char action_id[STORE_ACTION_ID_MAX + 1];
    sb_id user_id;
    sb_id connector_id; /* the configuration that posted the card */
    sb_id team_id;
    sb_id channel_id;
    char target[2049];
    char status[12]; /* "pending", "succeeded", "failed" */
    int http_status;
    char card_action_status[512];
    char error[512];
    bool card_updated;
    sb_time created;
    sb_time updated;
};

/* Stores a pending execution and its outbox job (kind, payload JSON text) in one transaction:
 * a click that was acknowledged is never lost. */
sb_err store_action_create(struct store *st, const struct store_action_execution *e,
                           const char *job_kind, const char *payload, int64_t now_ms);
sb_err store_action_get(struct store *st, const char *id, struct store_action_execution *out);
/* Records the result fields (status, http_status, card_action_status, error, card_updated,
 * updated). */
sb_err store_action_finish(struct store *st, const struct store_action_execution *e);

/* ---- backup and restore (SQLite; PostgreSQL has pg_dump and pg_restore) ---- */

/* Copies the live database into path, a new file (SB_ERR_CONFLICT when it exists), while
 * servers keep reading and writing it: the copy is one consistent snapshot, a self-contained
 * rollback-journal database (no -wal beside it), checked with quick_check and fsynced before it
 * appears under its name. SB_ERR_INVALID when the store is not SQLite. */
sb_err store_backup(struct store *st, const char *path, struct sb_diag *diag);
/* Replaces the database of the stopped installation at url ("sqlite:<file>"; the file is
 * created if missing) with the backup at path. Refuses with SB_ERR_INVALID when path is not a
 * Switchboard database (not SQLite, damaged, no schema_migrations, or migrated by a newer
 * version) and with SB_ERR_CONFLICT when a process has the database open (a running server). */
sb_err store_restore(const char *url, const char *path, struct sb_diag *diag);

/* ---- fault injection, for tests (src/store/fault.c) ---- */

/* A plan "fail the N-th statement run by write functions": the statement answers SB_ERR_IO
 * before it runs, as a database failure would, and the write function's transaction is rolled
 * back if it passes the error on. Tests fail each step of an operation in turn and check that
 * nothing of it remains. No plan is installed in production. */
struct store_fault;

sb_err store_fault_new(struct store_fault **out);
void store_fault_free(struct store_fault *f);
/* Installs f on st (NULL removes it); f must outlive its installation. */
void store_fault_set(struct store *st, struct store_fault *f);
/* Restarts the count and fails statement fail_at (from 1; 0 fails none). */
void store_fault_arm(struct store_fault *f, long fail_at);
/* Statements run by writes since store_fault_arm (the failed one included). */
long store_fault_seen(const struct store_fault *f);

/* ---- file modes (SQLite): the database holds secrets ---- */

/* Makes data_dir (when not NULL or "") mode 0700 and every regular file directly in it, and
 * db_file with its -wal, -shm and -journal (when not NULL), mode 0600, warning on stderr with
 * each path it changes (or cannot change). Symlinks are not followed. Run at start, before
 * store_open: files made by older versions or by hand under umask 022 are readable by all. */
void store_files_repair(const char *data_dir, const char *db_file);

#endif
