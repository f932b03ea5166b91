/*
 * teams.c: teams, channels and memberships.
 */
#include "store/teams.h"

#include "store/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void read_team(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_team *t = elem;

    db_col_copy(d, s, 0, t->id, sizeof(t->id));
    db_col_copy(d, s, 1, t->display_name, sizeof(t->display_name));
    db_col_copy(d, s, 2, t->description, sizeof(t->description));
    t->allow_connectors = db_col_int(d, s, 3) != 0;
    db_col_copy(d, s, 4, t->created, sizeof(t->created));
    t->connectors_enabled = (int)db_col_int(d, s, 5);
    {
        char vis[16];
        db_col_copy(d, s, 6, vis, sizeof(vis));
        t->is_public = strcmp(vis, "public") == 0;
    }
}

static void read_channel(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_channel *c = elem;

    db_col_copy(d, s, 0, c->id, sizeof(c->id));
    db_col_copy(d, s, 1, c->team_id, sizeof(c->team_id));
    db_col_copy(d, s, 2, c->display_name, sizeof(c->display_name));
    db_col_copy(d, s, 3, c->description, sizeof(c->description));
    db_col_copy(d, s, 4, c->membership_type, sizeof(c->membership_type));
    c->is_general = db_col_int(d, s, 5) != 0;
    db_col_copy(d, s, 6, c->created, sizeof(c->created));
}

static void read_member(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_member *m = elem;

    db_col_copy(d, s, 0, m->id, sizeof(m->id));
    db_col_copy(d, s, 1, m->team_id, sizeof(m->team_id));
    db_col_copy(d, s, 2, m->user_id, sizeof(m->user_id));
    m->role = (int)db_col_int(d, s, 3);
    db_col_copy(d, s, 4, m->display_name, sizeof(m->display_name));
    db_col_copy(d, s, 5, m->created, sizeof(m->created));
}

static void read_role(struct db *d, struct db_stmt *s, void *elem)
{
    *(int *)elem = (int)db_col_int(d, s, 0);
}

static sb_err channel_insert(struct db *d, const struct sb_channel *c)
{
    char name_lower[SB_NAME_MAX + 1];

    store_lower(c->display_name, name_lower, sizeof(name_lower));
    return db_run(d, NULL, SQL_CHANNEL_INSERT,
                  DB_ARGS(db_text(c->id), db_text(c->team_id), db_text(c->display_name),
                          db_text(name_lower), db_text(c->description), db_text(c->membership_type),
                          db_bool(c->is_general), db_text(c->created)));
}

static sb_err notify_membership(struct db *d, const char *user_id, const char *team_id, bool added)
{
    char rest[96];

    snprintf(rest, sizeof(rest), "%s %s %d", user_id, team_id, added ? 1 : 0);
    return db_notify(d, "j", rest);
}

static sb_err member_insert(struct db *d, const struct sb_member *m)
{
    sb_err err = db_run(d, NULL, SQL_MEMBER_INSERT,
                        DB_ARGS(db_text(m->id), db_text(m->team_id), db_text(m->user_id),
                                db_int(m->role), db_text(m->created)));

    return err ? err : notify_membership(d, m->user_id, m->team_id, true);
}

struct team_create {
    const struct sb_team *t;
    const struct sb_channel *general;
    const struct sb_member *owner;
};

static sb_err team_create_fn(struct db *d, void *arg)
{
    struct team_create *tc = arg;
    sb_err err;

    err =
        db_run(d, NULL, SQL_TEAM_CREATE,
               DB_ARGS(db_text(tc->t->id), db_text(tc->t->display_name),
                       db_text(tc->t->description), db_bool(tc->t->allow_connectors),
                       db_text(tc->t->created), db_text(tc->t->is_public ? "public" : "private")));
    if (!err)
        err = channel_insert(d, tc->general);
    if (!err)
        err = member_insert(d, tc->owner);
    return err;
}

sb_err store_team_create(struct store *st, const struct sb_team *t,
                         const struct sb_channel *general, const struct sb_member *owner)
{
    struct team_create tc = {t, general, owner};
    return store_write(st, team_create_fn, &tc);
}

sb_err store_team_get(struct store *st, const char *id, struct sb_team *out)
{
    return store_select_one(st, SQL_TEAM_GET, read_team, out, DB_ARGS(db_text(id)));
}

struct team_flag {
    const char *id;
    int value;
    const struct sb_audit *audit;
};

static sb_err team_allow_fn(struct db *d, void *arg)
{
    struct team_flag *tf = arg;
    sb_err err = db_run_one(d, SQL_TEAM_ALLOW, DB_ARGS(db_bool(tf->value), db_text(tf->id)));

    return err ? err : store_audit_insert_tx(d, tf->audit);
}

sb_err store_team_set_allow_connectors(struct store *st, const char *id, bool allow,
                                       const struct sb_audit *audit)
{
    struct team_flag tf = {id, allow, audit};
    return store_write(st, team_allow_fn, &tf);
}

static sb_err team_switch_fn(struct db *d, void *arg)
{
    struct team_flag *ts = arg;
    sb_err err;

    if (ts->value < 0)
        err = db_run_one(d, SQL_TEAM_CLEAR_CONNECTORS_ENABLED, DB_ARGS(db_text(ts->id)));
    else
        err = db_run_one(d, SQL_TEAM_SET_CONNECTORS_ENABLED,
                         DB_ARGS(db_int(ts->value), db_text(ts->id)));
    return err ? err : store_audit_insert_tx(d, ts->audit);
}

sb_err store_team_set_connectors_enabled(struct store *st, const char *id, int enabled,
                                         const struct sb_audit *audit)
{
    struct team_flag ts = {id, enabled, audit};
    return store_write(st, team_switch_fn, &ts);
}

sb_err store_team_list_for_user(struct store *st, const char *user_id, struct sb_team **out,
                                size_t *n)
{
    return store_select_all(st, SQL_TEAM_LIST_FOR_USER, read_team, NULL, sizeof(**out),
                            (void **)out, n, DB_ARGS(db_text(user_id)));
}

static sb_err channel_insert_fn(struct db *d, void *arg)
{
    return channel_insert(d, arg);
}

sb_err store_channel_insert(struct store *st, const struct sb_channel *c)
{
    return store_write(st, channel_insert_fn, (void *)c);
}

sb_err store_channel_get(struct store *st, const char *id, struct sb_channel *out)
{
    return store_select_one(st, SQL_CHANNEL_GET, read_channel, out, DB_ARGS(db_text(id)));
}

sb_err store_channel_list(struct store *st, const char *team_id, struct sb_channel **out, size_t *n)
{
    return store_select_all(st, SQL_CHANNEL_LIST, read_channel, NULL, sizeof(**out), (void **)out,
                            n, DB_ARGS(db_text(team_id)));
}

static sb_err member_insert_fn(struct db *d, void *arg)
{
    return member_insert(d, arg);
}

sb_err store_member_insert(struct store *st, const struct sb_member *m)
{
    return store_write(st, member_insert_fn, (void *)m);
}

sb_err store_member_get(struct store *st, const char *team_id, const char *membership_id,
                        struct sb_member *out)
{
    return store_select_one(st, SQL_MEMBER_GET, read_member, out,
                            DB_ARGS(db_text(team_id), db_text(membership_id)));
}

sb_err store_member_list(struct store *st, const char *team_id, struct sb_member **out, size_t *n)
{
    return store_select_all(st, SQL_MEMBER_LIST, read_member, NULL, sizeof(**out), (void **)out, n,
                            DB_ARGS(db_text(team_id)));
}

sb_err store_member_role(struct store *st, const char *team_id, const char *user_id, int *role)
{
    sb_err err = store_select_one(st, SQL_MEMBER_ROLE, read_role, role,
                                  DB_ARGS(db_text(team_id), db_text(user_id)));

    if (err == SB_ERR_NOT_FOUND) {
        *role = SB_ROLE_NONE;
        return SB_OK;
    }
    return err;
}

struct member_delete {
    const char *team_id;
    const char *id;
};

static sb_err count(struct db *d, struct db_stmt *s, int64_t *out)
{
    bool row = false;
    sb_err err = db_step(d, s, &row);

    *out = !err && row ? db_col_int(d, s, 0) : 0;
    db_done(d, s);
    return err;
}

static sb_err member_delete_fn(struct db *d, void *arg)
{
    struct member_delete *md = arg;
    struct db_stmt *s = NULL;
    bool row = false;
    sb_id user_id = "";
    int64_t is_owner = 0, owners = 0;
    sb_err err;

    /* A team keeps at least one owner. The no-op update takes the team's row lock first, so
     * two removals cannot both pass the check: within one process the group commit already
     * serialises them, and across processes (PostgreSQL) the lock does. */
    err = db_run(d, NULL, SQL_MEMBER_DELETE_LOCK_TEAM, DB_ARGS(db_text(md->team_id)));
    if (err)
        return err;
    err = db_query(d, SQL_MEMBER_DELETE_IS_OWNER, &s,
                   DB_ARGS(db_text(md->id), db_text(md->team_id), db_int(SB_ROLE_OWNER)));
    if (!err)
        err = count(d, s, &is_owner);
    if (!err && is_owner) {
        err = db_query(d, SQL_MEMBER_DELETE_COUNT_OWNERS, &s,
                       DB_ARGS(db_text(md->team_id), db_int(SB_ROLE_OWNER)));
        if (!err)
            err = count(d, s, &owners);
        if (!err && owners <= 1)
            return SB_ERR_CONFLICT;
    }
    if (err)
        return err;
    err = db_query(d, SQL_MEMBER_DELETE_USER, &s, DB_ARGS(db_text(md->id), db_text(md->team_id)));
    if (err)
        return err;
    if (db_step(d, s, &row) == SB_OK && row)
        db_col_copy(d, s, 0, user_id, sizeof(user_id));
    db_done(d, s);
    err = db_run_one(d, SQL_MEMBER_DELETE, DB_ARGS(db_text(md->team_id), db_text(md->id)));
    return err ? err : notify_membership(d, user_id, md->team_id, false);
}

sb_err store_member_delete(struct store *st, const char *team_id, const char *membership_id)
{
    struct member_delete md = {team_id, membership_id};
    return store_write(st, member_delete_fn, &md);
}

static sb_err team_visibility_fn(struct db *d, void *arg)
{
    struct team_flag *tv = arg;
    sb_err err = db_run_one(d, SQL_TEAM_SET_VISIBILITY,
                            DB_ARGS(db_text(tv->value ? "public" : "private"), db_text(tv->id)));

    return err ? err : store_audit_insert_tx(d, tv->audit);
}

sb_err store_team_set_visibility(struct store *st, const char *id, bool is_public,
                                 const struct sb_audit *audit)
{
    struct team_flag tv = {id, is_public, audit};
    return store_write(st, team_visibility_fn, &tv);
}

sb_err store_team_list_directory(struct store *st, const char *user_id, bool all,
                                 struct sb_team **out, size_t *n)
{
    return store_select_all(st, SQL_TEAM_LIST_DIRECTORY, read_team, NULL, sizeof(**out),
                            (void **)out, n, DB_ARGS(db_int(all ? 1 : 0), db_text(user_id)));
}

struct member_role {
    const char *team_id;
    const char *id;
    int role;
    const struct sb_audit *audit;
};

static sb_err member_role_fn(struct db *d, void *arg)
{
    struct member_role *mr = arg;
    struct db_stmt *s = NULL;
    int64_t is_owner = 0, owners = 0;
    sb_err err;

    /* Demoting the last owner is refused as removing it is (member_delete_fn: same lock). */
    err = db_run(d, NULL, SQL_MEMBER_DELETE_LOCK_TEAM, DB_ARGS(db_text(mr->team_id)));
    if (!err && mr->role != SB_ROLE_OWNER) {
        err = db_query(d, SQL_MEMBER_DELETE_IS_OWNER, &s,
                       DB_ARGS(db_text(mr->id), db_text(mr->team_id), db_int(SB_ROLE_OWNER)));
        if (!err)
            err = count(d, s, &is_owner);
        if (!err && is_owner) {
            err = db_query(d, SQL_MEMBER_DELETE_COUNT_OWNERS, &s,
                           DB_ARGS(db_text(mr->team_id), db_int(SB_ROLE_OWNER)));
            if (!err)
                err = count(d, s, &owners);
            if (!err && owners <= 1)
                return SB_ERR_CONFLICT;
        }
    }
    if (!err)
        err = db_run_one(d, SQL_MEMBER_SET_ROLE,
                         DB_ARGS(db_int(mr->role), db_text(mr->team_id), db_text(mr->id)));
    return err ? err : store_audit_insert_tx(d, mr->audit);
}

sb_err store_member_set_role(struct store *st, const char *team_id, const char *membership_id,
                             int role, const struct sb_audit *audit)
{
    struct member_role mr = {team_id, membership_id, role, audit};
    return store_write(st, member_role_fn, &mr);
}
