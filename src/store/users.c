/*
 * users.c: users and their credentials (API tokens, sessions).
 *
 * Whenever credentials of a user end (revoked, signed out everywhere, a password change, the
 * account disabled or deleted), the transaction queues the notification "x <user id>": every
 * node then ends that user's event streams (teams/remote.c). A stream does not know which
 * credential opened it; the ones still valid reconnect at once with Last-Event-ID and lose
 * nothing, the others meet their 401.
 */
#include "store/users.h"

#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_user(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_user *u = elem;

    db_col_copy(d, s, 0, u->id, sizeof(u->id));
    db_col_copy(d, s, 1, u->upn, sizeof(u->upn));
    db_col_copy(d, s, 2, u->display_name, sizeof(u->display_name));
    u->is_admin = db_col_int(d, s, 3) != 0;
    db_col_copy(d, s, 4, u->created, sizeof(u->created));
    u->enabled = db_col_int(d, s, 5) != 0;
    u->is_guest = db_col_int(d, s, 6) != 0;
    u->must_change = db_col_int(d, s, 7) != 0;
}

struct user_insert {
    const struct sb_user *u;
    const char *hash;
};

static sb_err user_insert_fn(struct db *d, void *arg)
{
    struct user_insert *ui = arg;
    char upn_lower[SB_NAME_MAX + 1];

    store_lower(ui->u->upn, upn_lower, sizeof(upn_lower));
    return db_run(d, NULL, SQL_USER_INSERT,
                  DB_ARGS(db_text(ui->u->id), db_text(ui->u->upn), db_text(upn_lower),
                          db_text(ui->u->display_name), db_text(ui->hash), db_bool(ui->u->is_admin),
                          db_text(ui->u->created)));
}

sb_err store_user_insert(struct store *st, const struct sb_user *u, const char *password_hash)
{
    struct user_insert ui = {u, password_hash};
    return store_write(st, user_insert_fn, &ui);
}

sb_err store_user_get(struct store *st, const char *id, struct sb_user *out)
{
    return store_select_one(st, SQL_USER_GET, read_user, out, DB_ARGS(db_text(id)));
}

struct user_with_hash {
    struct sb_user *u;
    char **hash;
    sb_err err;
};

static void read_user_hash(struct db *d, struct db_stmt *s, void *elem)
{
    struct user_with_hash *uh = elem;

    read_user(d, s, uh->u);
    if (uh->hash)
        uh->err = db_col_dup(d, s, 8, uh->hash);
}

sb_err store_user_by_upn(struct store *st, const char *upn, struct sb_user *out,
                         char **password_hash)
{
    char upn_lower[SB_NAME_MAX + 1];
    struct user_with_hash uh = {out, password_hash, SB_OK};
    sb_err err;

    if (password_hash)
        *password_hash = NULL;
    store_lower(upn, upn_lower, sizeof(upn_lower));
    err = store_select_one(st, SQL_USER_BY_UPN, read_user_hash, &uh, DB_ARGS(db_text(upn_lower)));
    return err ? err : uh.err;
}

sb_err store_user_list(struct store *st, struct sb_user **out, size_t *n)
{
    return store_select_all(st, SQL_USER_LIST, read_user, NULL, sizeof(**out), (void **)out, n,
                            DB_NO_ARGS);
}

/* LIKE pattern "%text%" with the escape character '!' before !, % and _. */
static bool like_pattern(const char *text, char *out, size_t cap)
{
    size_t k = 0;

    out[k++] = '%';
    for (const char *p = text; *p; p++) {
        if (k + 4 > cap)
            return false;
        if (*p == '!' || *p == '%' || *p == '_')
            out[k++] = '!';
        out[k++] = *p;
    }
    out[k++] = '%';
    out[k] = '\0';
    return true;
}

sb_err store_user_search(struct store *st, const char *search, int64_t top, struct sb_user **out,
                         size_t *n)
{
    char lower[SB_NAME_MAX + 1], pattern[2 * SB_NAME_MAX + 4];

    if (!search || !*search)
        return store_select_all(st, SQL_USER_LIST_TOP, read_user, NULL, sizeof(**out), (void **)out,
                                n, DB_ARGS(db_int(top)));
    store_lower(search, lower, sizeof(lower));
    if (!like_pattern(lower, pattern, sizeof(pattern)))
        return SB_ERR_INVALID;
    return store_select_all(st, SQL_USER_SEARCH, read_user, NULL, sizeof(**out), (void **)out, n,
                            DB_ARGS(db_text(pattern), db_text(pattern), db_int(top)));
}

struct team_roles {
    int64_t count;
    int highest;
};

static void read_roles(struct db *d, struct db_stmt *s, void *elem)
{
    struct team_roles *r = elem;

    r->count = db_col_int(d, s, 0);
    r->highest = (int)db_col_int(d, s, 1);
}

sb_err store_user_team_roles(struct store *st, const char *id, int64_t *count, int *highest)
{
    struct team_roles r = {0, 0};
    sb_err err = store_select_one(st, SQL_USER_ROLES, read_roles, &r, DB_ARGS(db_text(id)));

    *count = r.count;
    *highest = r.highest;
    return err;
}

struct user_change {
    const char *id;
    const struct sb_user_change *ch;
    const char *at; /* deletion time: store_user_delete */
    const struct sb_audit *audit;
};

static sb_err set_flag(struct db *d, enum db_sql id, int value, const char *user)
{
    return value < 0 ? SB_OK : db_run_one(d, id, DB_ARGS(db_int(value), db_text(user)));
}

static sb_err end_credentials(struct db *d, const char *user, int how, const char *keep)
{
    if (how == SB_CREDS_END_ALL)
        return db_run(d, NULL, SQL_TOKEN_DELETE_USER, DB_ARGS(db_text(user)));
    if (how == SB_CREDS_END_OTHERS)
        return db_run(
            d, NULL, SQL_TOKEN_DELETE_OTHERS,
            DB_ARGS(db_text(user), db_text(keep ? keep : ""), db_int(SB_TOKEN_BOOTSTRAP)));
    return SB_OK;
}

static sb_err user_update_fn(struct db *d, void *arg)
{
    struct user_change *uc = arg;
    const struct sb_user_change *ch = uc->ch;
    sb_err err = SB_OK;

    /* Touch the row first, so an unknown user is SB_ERR_NOT_FOUND whatever the change. */
    err = db_run_one(d, SQL_USER_TOUCH, DB_ARGS(db_text(uc->id)));
    if (!err)
        err = set_flag(d, SQL_USER_SET_ENABLED, ch->enabled, uc->id);
    if (!err && ch->display_name)
        err = db_run_one(d, SQL_USER_SET_NAME, DB_ARGS(db_text(ch->display_name), db_text(uc->id)));
    if (!err)
        err = set_flag(d, SQL_USER_SET_ADMIN, ch->is_admin, uc->id);
    if (!err)
        err = set_flag(d, SQL_USER_SET_GUEST, ch->is_guest, uc->id);
    if (!err)
        err = set_flag(d, SQL_USER_SET_MUST_CHANGE, ch->must_change, uc->id);
    if (!err && ch->password_hash)
        err = db_run_one(d, SQL_USER_SET_PASSWORD,
                         DB_ARGS(db_text(ch->password_hash), db_text(uc->id)));
    if (!err)
        err = end_credentials(d, uc->id, (int)ch->end_credentials, ch->keep_id);
    if (!err && ch->end_credentials != SB_CREDS_KEEP)
        err = db_notify(d, "x", uc->id);
    if (!err)
        err = store_audit_insert_tx(d, uc->audit);
    return err;
}

sb_err store_user_update(struct store *st, const char *id, const struct sb_user_change *ch,
                         const struct sb_audit *audit)
{
    struct user_change uc = {id, ch, NULL, audit};
    return store_write(st, user_update_fn, &uc);
}

static sb_err user_delete_fn(struct db *d, void *arg)
{
    struct user_change *uc = arg;
    char freed[SB_NAME_MAX + 1];
    sb_err err;

    /* Not a UPN anyone can have: UPNs hold no slash (auth.c upn_valid). */
    snprintf(freed, sizeof(freed), "deleted/%s", uc->id);
    err = db_run_one(d, SQL_USER_DELETE, DB_ARGS(db_text(uc->at), db_text(freed), db_text(uc->id)));
    if (!err)
        err = db_run(d, NULL, SQL_USER_LEAVE_TEAMS, DB_ARGS(db_text(uc->id)));
    if (!err)
        err = end_credentials(d, uc->id, SB_CREDS_END_ALL, NULL);
    if (!err)
        err = db_notify(d, "x", uc->id);
    if (!err)
        err = store_audit_insert_tx(d, uc->audit);
    return err;
}

sb_err store_user_delete(struct store *st, const char *id, const char *at,
                         const struct sb_audit *audit)
{
    struct user_change uc = {id, NULL, at, audit};
    return store_write(st, user_delete_fn, &uc);
}

struct user_update {
    const char *id;
    const char *hash;
    int admin;
};

static sb_err set_password_fn(struct db *d, void *arg)
{
    struct user_update *uu = arg;
    return db_run_one(d, SQL_USER_SET_PASSWORD, DB_ARGS(db_text(uu->hash), db_text(uu->id)));
}

static sb_err set_admin_fn(struct db *d, void *arg)
{
    struct user_update *uu = arg;
    return db_run_one(d, SQL_USER_SET_ADMIN, DB_ARGS(db_bool(uu->admin), db_text(uu->id)));
}

sb_err store_user_set_password(struct store *st, const char *id, const char *password_hash)
{
    struct user_update uu = {id, password_hash, 0};
    return store_write(st, set_password_fn, &uu);
}

sb_err store_user_set_admin(struct store *st, const char *id, bool is_admin)
{
    struct user_update uu = {id, NULL, is_admin};
    return store_write(st, set_admin_fn, &uu);
}

/* ---- tokens ---- */

static sb_err token_insert_fn(struct db *d, void *arg)
{
    const struct sb_token *t = arg;

    return db_run(d, NULL, SQL_TOKEN_INSERT,
                  DB_ARGS(db_text(t->id), db_text(t->user_id), db_int(t->kind),
                          db_blob(t->hash, sizeof(t->hash)), db_int(t->expires_ms),
                          db_text(t->csrf), db_text(t->created)));
}

sb_err store_token_insert(struct store *st, const struct sb_token *t)
{
    return store_write(st, token_insert_fn, (void *)t);
}

sb_err store_token_by_hash(struct store *st, const unsigned char hash[32], struct sb_token *out)
{
    struct db d;
    struct db_stmt *s = NULL;
    sb_err err = store_read_begin(st, &d);
    const void *blob;
    size_t n;
    bool row = false;

    if (err)
        return err;
    err = db_query(&d, SQL_TOKEN_BY_HASH, &s, DB_ARGS(db_blob(hash, (size_t)32)));
    if (err)
        goto out;
    err = db_step(&d, s, &row);
    if (!err && !row)
        err = SB_ERR_NOT_FOUND;
    if (err)
        goto out;
    db_col_copy(&d, s, 0, out->id, sizeof(out->id));
    db_col_copy(&d, s, 1, out->user_id, sizeof(out->user_id));
    out->kind = (int)db_col_int(&d, s, 2);
    blob = d.drv->col_blob(s, 3, &n);
    if (!blob || n != sizeof(out->hash)) {
        err = SB_ERR_IO;
        goto out;
    }
    memcpy(out->hash, blob, n);
    out->expires_ms = db_col_int(&d, s, 4);
    db_col_copy(&d, s, 5, out->csrf, sizeof(out->csrf));
    db_col_copy(&d, s, 6, out->created, sizeof(out->created));
    out->last_used_ms = db_col_int(&d, s, 7);
out:
    db_done(&d, s);
    store_read_end(st, &d);
    return err;
}

static void read_token(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_token *t = elem;

    db_col_copy(d, s, 0, t->id, sizeof(t->id));
    db_col_copy(d, s, 1, t->user_id, sizeof(t->user_id));
    t->kind = (int)db_col_int(d, s, 2);
    t->expires_ms = db_col_int(d, s, 3);
    db_col_copy(d, s, 4, t->created, sizeof(t->created));
    t->last_used_ms = db_col_int(d, s, 5);
}

sb_err store_token_list(struct store *st, const char *user_id, int kind, int64_t now_ms,
                        struct sb_token **out, size_t *n)
{
    return store_select_all(st, SQL_TOKEN_LIST_USER, read_token, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_text(user_id), db_int(kind), db_int(now_ms)));
}

struct token_owned {
    const char *id;
    const char *user_id;
    int kind;
    int64_t now_ms;
};

static sb_err token_delete_owned_fn(struct db *d, void *arg)
{
    struct token_owned *t = arg;
    sb_err err = db_run_one(d, SQL_TOKEN_DELETE_OWNED,
                            DB_ARGS(db_text(t->id), db_text(t->user_id), db_int(t->kind)));

    return err ? err : db_notify(d, "x", t->user_id);
}

sb_err store_token_delete_owned(struct store *st, const char *id, const char *user_id, int kind)
{
    struct token_owned t = {id, user_id, kind, 0};
    return store_write(st, token_delete_owned_fn, &t);
}

static sb_err token_touch_fn(struct db *d, void *arg)
{
    struct token_owned *t = arg;

    /* The credential may have been revoked meanwhile: nothing to record then. */
    return db_run(d, NULL, SQL_TOKEN_TOUCH, DB_ARGS(db_int(t->now_ms), db_text(t->id)));
}

struct token_touch {
    struct token_owned t;
    sb_id id;
};

static void token_touch_done(void *arg, sb_err err)
{
    (void)err; /* a lost lastUsedDateTime is recorded again on the next use */
    free(arg);
}

sb_err store_token_touch(struct store *st, const char *id, int64_t now_ms)
{
    struct token_touch *tt = calloc(1, sizeof(*tt));
    sb_err err;

    if (!tt)
        return SB_ERR_NOMEM;
    snprintf(tt->id, sizeof(tt->id), "%s", id);
    tt->t.id = tt->id;
    tt->t.now_ms = now_ms;
    err = store_write_async(st, token_touch_fn, &tt->t, token_touch_done, tt);
    if (err)
        free(tt);
    return err;
}

struct token_delete {
    const char *id;
    const char *user_id;
    int kind;
};

static sb_err token_delete_fn(struct db *d, void *arg)
{
    struct token_delete *td = arg;
    return db_run_one(d, SQL_TOKEN_DELETE, DB_ARGS(db_text(td->id)));
}

static sb_err token_delete_kind_fn(struct db *d, void *arg)
{
    struct token_delete *td = arg;
    sb_err err =
        db_run(d, NULL, SQL_TOKEN_DELETE_KIND, DB_ARGS(db_text(td->user_id), db_int(td->kind)));

    return err ? err : db_notify(d, "x", td->user_id);
}

sb_err store_token_delete(struct store *st, const char *id)
{
    struct token_delete td = {id, NULL, 0};
    return store_write(st, token_delete_fn, &td);
}

sb_err store_token_delete_kind(struct store *st, const char *user_id, int kind)
{
    struct token_delete td = {NULL, user_id, kind};
    return store_write(st, token_delete_kind_fn, &td);
}

static sb_err token_replace_fn(struct db *d, void *arg)
{
    const struct sb_token *t = arg;
    struct token_delete td = {NULL, t->user_id, t->kind};
    sb_err err = token_delete_kind_fn(d, &td);

    return err ? err : token_insert_fn(d, arg);
}

sb_err store_token_replace_kind(struct store *st, const struct sb_token *t)
{
    return store_write(st, token_replace_fn, (void *)t);
}
