/*
 * audit.c: the audit log of policy and connector changes.
 */
#include "store/audit.h"

#include "store/internal.h"

#include <stdlib.h>

sb_err store_audit_insert_tx(struct db *d, const struct sb_audit *a)
{
    if (!a)
        return SB_OK;
    return db_run(d, NULL, SQL_AUDIT_INSERT,
                  DB_ARGS(db_text(a->at), db_text(a->actor_id), db_text(a->actor_name),
                          db_text(a->action), db_text(a->target), db_text(a->before),
                          db_text(a->after)));
}

static void read_audit(struct db *d, struct db_stmt *s, void *elem)
{
    struct sb_audit *a = elem;

    a->seq = db_col_int(d, s, 0);
    db_col_copy(d, s, 1, a->at, sizeof(a->at));
    db_col_copy(d, s, 2, a->actor_id, sizeof(a->actor_id));
    db_col_copy(d, s, 3, a->actor_name, sizeof(a->actor_name));
    db_col_copy(d, s, 4, a->action, sizeof(a->action));
    db_col_copy(d, s, 5, a->target, sizeof(a->target));
    /* A failed copy leaves NULL, which renders as null: the entry is still listed. */
    (void)db_col_dup(d, s, 6, &a->before);
    (void)db_col_dup(d, s, 7, &a->after);
}

static void release_audit(void *elem)
{
    struct sb_audit *a = elem;

    free(a->before);
    free(a->after);
}

sb_err store_audit_list(struct store *st, int64_t before, size_t limit, struct sb_audit **out,
                        size_t *n)
{
    return store_select_all(st, SQL_AUDIT_LIST, read_audit, release_audit, sizeof(**out),
                            (void **)out, n,
                            DB_ARGS(db_int(before > 0 ? before : INT64_MAX), db_int(limit)));
}

void store_audit_free_array(struct sb_audit *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        release_audit(&a[i]);
    free(a);
}
