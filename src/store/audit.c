/*
 * audit.c: the audit log of policy and connector changes.
 */
#include "store/audit.h"

#include "store/internal.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

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
    db_col_copy(d, s, 8, a->target_name, sizeof(a->target_name));
}

static void release_audit(void *elem)
{
    struct sb_audit *a = elem;

    free(a->before);
    free(a->after);
}

/* A LIKE pattern (escape character '!') matching s as a prefix (contains: anywhere), lower
 * case when asked; "" for an empty s, which the statement reads as "no filter". */
static sb_err like_pattern(const char *s, bool contains, bool lower, char **out)
{
    size_t len = s ? strlen(s) : 0, j = 0;
    char *p;

    *out = NULL;
    p = malloc(len * 2 + 3);
    if (!p)
        return SB_ERR_NOMEM;
    if (len && contains)
        p[j++] = '%';
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];

        if (ch == '%' || ch == '_' || ch == '!')
            p[j++] = '!';
        p[j++] = lower ? (char)tolower((unsigned char)ch) : ch;
    }
    if (len)
        p[j++] = '%';
    p[j] = '\0';
    *out = p;
    return SB_OK;
}

sb_err store_audit_list(struct store *st, int64_t before, const struct sb_audit_filter *filter,
                        size_t limit, struct sb_audit **out, size_t *n)
{
    const struct sb_audit_filter none = {0};
    const struct sb_audit_filter *f = filter ? filter : &none;
    const char *since = f->since ? f->since : "", *until = f->until ? f->until : "";
    char *action = NULL, *actor = NULL;
    sb_err err;

    *out = NULL;
    *n = 0;
    if ((err = like_pattern(f->action, false, false, &action)))
        goto out;
    if ((err = like_pattern(f->actor, true, true, &actor)))
        goto out;
    err = store_select_all(
        st, SQL_AUDIT_LIST, read_audit, release_audit, sizeof(**out), (void **)out, n,
        DB_ARGS(db_int(before > 0 ? before : INT64_MAX), db_text(action), db_text(action),
                db_text(actor), db_text(actor), db_text(since), db_text(since), db_text(until),
                db_text(until), db_int((int64_t)limit)));
out:
    free(action);
    free(actor);
    return err;
}

void store_audit_free_array(struct sb_audit *a, size_t n)
{
    for (size_t i = 0; i < n; i++)
        release_audit(&a[i]);
    free(a);
}
