/*
 * test_store_prune.c: pruning deletes in bounded batches (issue 16, item 11): no write
 * transaction deletes more than STORE_PRUNE_BATCH rows, however many are due, and everything
 * due goes in the end. Rows are made with SQL through store_write (what the domain functions
 * would take thousands of calls to build). SQLite, a fresh database per test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"
#include "store/internal.h"
#include "store/store.h"
#include "store/rate.h"
#include "store/connectors.h"
#include "store/graphconn.h"
#include "store/signing_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DUE (2 * STORE_PRUNE_BATCH + 17) /* not a multiple of the batch */

struct fx {
    char dir[64];
    char url[128];
    struct store *st;
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct sb_diag diag = {{0}, {0}};
    struct store_opts opts = {NULL, 2};

    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sb-test-prune-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(f->url, sizeof(f->url), "sqlite:%s/t.db", f->dir);
    opts.url = f->url;
    if (store_open(&opts, &f->st, &diag) != SB_OK) {
        print_error("store_open: %s\n", diag.message);
        cfx_remove_dir(f->dir);
        free(f);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    store_close(f->st);
    cfx_remove_dir(f->dir);
    free(f);
    return 0;
}

/* ---- helpers: SQL run as one write, counts read back ---- */

static sb_err exec_fn(struct db *d, void *arg)
{
    return d->drv->exec(d->conn, arg);
}

static void exec_sql(struct store *st, const char *sql)
{
    assert_int_equal(store_write(st, exec_fn, (void *)sql), SB_OK);
}

static void read_count(struct db *d, struct db_stmt *s, void *elem)
{
    *(int64_t *)elem = db_col_int(d, s, 0);
}

/* sql: a SELECT COUNT(*) ... without parameters. */
static int64_t count(struct store *st, const char *sql)
{
    int64_t n = -1;

    assert_int_equal(store_select_one_text(st, sql, read_count, &n, DB_NO_ARGS), SB_OK);
    return n;
}

/* n rows made by a recursive CTE: "WITH RECURSIVE r(i) AS (...) INSERT ... SELECT ... FROM r". */
static void insert_series(struct store *st, const char *insert_select_from_r, int from, int to)
{
    char sql[1024];

    snprintf(sql, sizeof(sql),
             "WITH RECURSIVE r(i) AS (SELECT %d UNION ALL SELECT i + 1 FROM r WHERE i < %d) %s",
             from, to, insert_select_from_r);
    exec_sql(st, sql);
}

static void assert_batched(struct store *st, uint64_t rows, uint64_t min_transactions)
{
    struct store_prune_stats ps;

    store_prune_stats(st, &ps);
    print_message("pruned %llu rows in %llu transactions, at most %llu in one\n",
                  (unsigned long long)ps.rows, (unsigned long long)ps.transactions,
                  (unsigned long long)ps.max_rows);
    assert_int_equal(ps.rows, rows);
    assert_true(ps.max_rows <= STORE_PRUNE_BATCH);
    assert_true(ps.transactions >= min_transactions);
}

/* ---- tests ---- */

static void test_signing_keys_pruned_in_batches(void **state)
{
    struct fx *f = *state;

    insert_series(f->st,
                  "INSERT INTO signing_keys (kid, period, created_ms, private_pem, n, e) "
                  "SELECT 'old' || i, i, 1000 + i, 'pem', 'n', 'e' FROM r",
                  1, DUE);
    insert_series(f->st,
                  "INSERT INTO signing_keys (kid, period, created_ms, private_pem, n, e) "
                  "SELECT 'new' || i, i, 5000000 + i, 'pem', 'n', 'e' FROM r",
                  DUE + 1, DUE + 2);
    assert_int_equal(store_signing_key_prune(f->st, 1000000), SB_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM signing_keys"), 2);
    assert_batched(f->st, DUE, (DUE + STORE_PRUNE_BATCH - 1) / STORE_PRUNE_BATCH);
}

/* A connection with DUE items (with search and ACL rows) and DUE group memberships. */
static void make_connection(struct store *st)
{
    exec_sql(st, "INSERT INTO gc_connections (pk, id, owner, name, state, created_at) VALUES "
                 "(7, 'bigconn', 'owner', 'Big', 'ready', '2026-01-01T00:00:00.000Z')");
    insert_series(st,
                  "INSERT INTO gc_items (pk, conn_pk, id, properties, acl, updated_at) "
                  "SELECT i, 7, 'item' || i, '{}', '[]', '2026-01-01T00:00:00.000Z' FROM r",
                  1, DUE);
    insert_series(st, "INSERT INTO gc_fts (rowid, title, body) SELECT i, 'title', 'body' FROM r", 1,
                  DUE);
    insert_series(st,
                  "INSERT INTO gc_acl (item_pk, conn_pk, key, deny) "
                  "SELECT i, 7, 'everyone', 0 FROM r",
                  1, DUE);
    exec_sql(st, "INSERT INTO gc_groups (conn_pk, id) VALUES (7, 'g1')");
    insert_series(st,
                  "INSERT INTO gc_group_members (conn_pk, group_id, member_id, type, member_key) "
                  "SELECT 7, 'g1', 'm' || i, 'user', 'u:m' || i FROM r",
                  1, DUE);
}

static void test_graph_connection_delete_in_batches(void **state)
{
    struct fx *f = *state;

    make_connection(f->st);
    assert_int_equal(store_gc_connection_delete(f->st, 7), SB_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_connections"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_items"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_acl"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_fts"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_group_members"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_groups"), 0);
    /* items, memberships and the one group */
    assert_batched(f->st, 2 * DUE + 1, 2 * ((DUE + STORE_PRUNE_BATCH - 1) / STORE_PRUNE_BATCH));
}

static void test_graph_group_delete_in_batches(void **state)
{
    struct fx *f = *state;

    make_connection(f->st);
    assert_int_equal(store_gc_group_delete(f->st, 7, "g1"), SB_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_group_members"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_groups"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM gc_items"), DUE);
    assert_batched(f->st, DUE, (DUE + STORE_PRUNE_BATCH - 1) / STORE_PRUNE_BATCH);
    assert_int_equal(store_gc_group_delete(f->st, 7, "g1"), SB_ERR_NOT_FOUND);
}

static void make_hook(struct store *st)
{
    exec_sql(st, "INSERT INTO teams (id, display_name, created_at) VALUES "
                 "('t1', 'T', '2026-01-01T00:00:00.000Z')");
    exec_sql(st, "INSERT INTO channels (id, team_id, display_name, name_lower, created_at) "
                 "VALUES ('c1', 't1', 'General', 'general', '2026-01-01T00:00:00.000Z')");
    exec_sql(st, "INSERT INTO connectors (id, kind, connector_id, team_id, channel_id, name, "
                 "created_by, created_at, url_format, url_nonce) VALUES ('h1', 'IncomingWebhook', "
                 "'x', 't1', 'c1', 'Hook', 'u1', '2026-01-01T00:00:00.000Z', 'v2', 'nonce')");
}

/* The delivery log keeps SB_DELIVERIES_KEPT rows per configuration, pruned inside posts'
 * writes: one prune removes at most a batch, the following ones the rest. */
static void test_delivery_log_pruned_in_batches(void **state)
{
    struct fx *f = *state;
    struct sb_delivery d;
    int64_t before, after, prunes = 0;

    make_hook(f->st);
    insert_series(f->st,
                  "INSERT INTO deliveries (connector_id, at, size, status) "
                  "SELECT 'h1', '2026-01-01T00:00:00.000Z', i, 200 FROM r",
                  1, SB_DELIVERIES_KEPT + DUE);
    memset(&d, 0, sizeof(d));
    snprintf(d.connector_id, sizeof(d.connector_id), "h1");
    snprintf(d.at, sizeof(d.at), "2026-01-01T00:00:01.000Z");
    for (int i = 0; i < 64 * 16; i++) {
        before = count(f->st, "SELECT COUNT(*) FROM deliveries");
        assert_int_equal(store_delivery_append(f->st, &d), SB_OK);
        after = count(f->st, "SELECT COUNT(*) FROM deliveries");
        if (after <= before) {
            prunes++;
            assert_true(before + 1 - after <= STORE_PRUNE_BATCH);
        }
        if (after == SB_DELIVERIES_KEPT)
            break;
    }
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM deliveries"), SB_DELIVERIES_KEPT);
    assert_true(prunes >= (DUE + STORE_PRUNE_BATCH - 1) / STORE_PRUNE_BATCH);
}

/* Stale rate-limit windows go a batch at a time, when a connector opens a new window. */
static void test_rate_windows_pruned_in_batches(void **state)
{
    struct fx *f = *state;
    int64_t hits = 0;

    insert_series(f->st,
                  "INSERT INTO rate_windows (connector_id, window_s, hits) "
                  "SELECT 'old' || i, 1000, 1 FROM r",
                  1, DUE);
    /* window 1600 % 16 == 0: the first hit in it prunes windows older than 1540 */
    assert_int_equal(store_rate_take(f->st, "a", 1600, &hits), SB_OK);
    assert_int_equal(hits, 1);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM rate_windows WHERE window_s < 1540"),
                     DUE - STORE_PRUNE_BATCH);
    assert_int_equal(store_rate_take(f->st, "b", 1600, &hits), SB_OK);
    assert_int_equal(store_rate_take(f->st, "c", 1600, &hits), SB_OK);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM rate_windows WHERE window_s < 1540"), 0);
    assert_int_equal(count(f->st, "SELECT COUNT(*) FROM rate_windows"), 3);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)
    const struct CMUnitTest tests[] = {
        T(test_signing_keys_pruned_in_batches), T(test_graph_connection_delete_in_batches),
        T(test_graph_group_delete_in_batches),  T(test_delivery_log_pruned_in_batches),
        T(test_rate_windows_pruned_in_batches),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
