/*
 * admin.c: organisation-wide reads for the administrator's page (see store/admin.h).
 */
#include "store/admin.h"

#include "store/internal.h"

static void read_team_overview(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_team_overview *o = elem;

    db_col_copy(d, s, 0, o->team.id, sizeof(o->team.id));
    db_col_copy(d, s, 1, o->team.display_name, sizeof(o->team.display_name));
    db_col_copy(d, s, 2, o->team.description, sizeof(o->team.description));
    o->team.allow_connectors = db_col_int(d, s, 3) != 0;
    db_col_copy(d, s, 4, o->team.created, sizeof(o->team.created));
    o->team.connectors_enabled = (int)db_col_int(d, s, 5);
    o->members = db_col_int(d, s, 6);
    o->owners = db_col_int(d, s, 7);
    o->connectors = db_col_int(d, s, 8);
    o->webhooks = db_col_int(d, s, 9);
}

sb_err store_admin_teams(struct store *st, size_t limit, struct sb_team_overview **out, size_t *n)
{
    return store_select_all(st, SQL_ADMIN_TEAMS, read_team_overview, NULL, sizeof(**out),
                            (void **)out, n, DB_ARGS(db_int((int64_t)limit)));
}

static void read_owner(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_team_owner *o = elem;

    db_col_copy(d, s, 0, o->team_id, sizeof(o->team_id));
    db_col_copy(d, s, 1, o->user_id, sizeof(o->user_id));
    db_col_copy(d, s, 2, o->display_name, sizeof(o->display_name));
}

sb_err store_admin_owners(struct store *st, struct sb_team_owner **out, size_t *n)
{
    return store_select_all(st, SQL_ADMIN_OWNERS, read_owner, NULL, sizeof(**out), (void **)out, n,
                            DB_NO_ARGS);
}

static void read_reach(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_reach *r = elem;

    r->count = db_col_int(d, s, 0);
    r->teams = db_col_int(d, s, 1);
}

static sb_err reach(struct store *st, const char *kind, const char *format, struct sb_reach *out)
{
    return store_select_one(
        st, SQL_ADMIN_REACH, read_reach, out,
        DB_ARGS(db_text(kind), db_text(kind), db_text(format), db_text(format)));
}

sb_err store_admin_impact(struct store *st, struct sb_impact *out)
{
    sb_err err;

    *out = (struct sb_impact){{0, 0}, {0, 0}, {0, 0}};
    if ((err = reach(st, "", "", &out->connectors)))
        return err;
    if ((err = reach(st, "incomingWebhook", "", &out->webhooks)))
        return err;
    return reach(st, "incomingWebhook", "legacy", &out->unsigned_only);
}
