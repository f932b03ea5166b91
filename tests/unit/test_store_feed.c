/*
 * test_store_feed.c: on SQLite the store's own feed hands store_listen's callback every
 * committed write's notifications, on one thread, in commit order, and never those of a write
 * that failed (rolled back to its savepoint) or of a batch that did not commit. The events bus
 * publishes from that callback (teams/remote.c), which is what keeps event ids in order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"
#include "store/internal.h"
#include "store/store.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WRITERS 8
#define WRITES_EACH 200

struct feed {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    long long seen[WRITERS * WRITES_EACH + 16];
    size_t n;
    bool bad_payload;
};

struct fx {
    char dir[64];
    struct store *st;
    struct feed feed;
    long long counter; /* written only inside writes, i.e. on the writer thread, in order */
};

static void on_notify(void *arg, const char *payload)
{
    struct feed *f = arg;
    char kind[4], node[40];
    long long v;

    pthread_mutex_lock(&f->mu);
    if (sscanf(payload, "%3s %39s %lld", kind, node, &v) != 3 || strcmp(kind, "t") != 0 ||
        f->n == sizeof(f->seen) / sizeof(f->seen[0]))
        f->bad_payload = true;
    else
        f->seen[f->n++] = v;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct sb_diag diag = {{0}, {0}};
    char url[128];
    struct store_opts opts = {url, 2};

    if (!f)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/sb-test-feed-XXXXXX");
    if (!mkdtemp(f->dir)) {
        free(f);
        return -1;
    }
    snprintf(url, sizeof(url), "sqlite:%s/t.db", f->dir);
    pthread_mutex_init(&f->feed.mu, NULL);
    pthread_cond_init(&f->feed.cv, NULL);
    if (store_open(&opts, &f->st, &diag) != SB_OK ||
        store_listen(f->st, on_notify, &f->feed) != SB_OK) {
        print_error("store_open: %s\n", diag.message);
        store_close(f->st);
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
    pthread_mutex_destroy(&f->feed.mu);
    pthread_cond_destroy(&f->feed.cv);
    cfx_remove_dir(f->dir);
    free(f);
    return 0;
}

/* Notifies the next counter value; every fifth write then fails (its notification must not
 * be delivered, and its value is taken: the next write notifies a higher one). */
static sb_err numbered_fn(struct db *d, void *arg)
{
    struct fx *f = arg;
    long long v = ++f->counter;
    char rest[32];
    sb_err err;

    snprintf(rest, sizeof(rest), "%lld", v);
    err = db_notify(d, "t", rest);
    if (err)
        return err;
    return v % 5 == 0 ? SB_ERR_CONFLICT : SB_OK;
}

static void *writer_thread(void *arg)
{
    struct fx *f = arg;

    for (int i = 0; i < WRITES_EACH; i++) {
        sb_err err = store_write(f->st, numbered_fn, f);
        if (err != SB_OK && err != SB_ERR_CONFLICT)
            return (void *)1;
    }
    return NULL;
}

static void test_notifications_in_commit_order(void **state)
{
    struct fx *f = *state;
    pthread_t t[WRITERS];
    size_t want = WRITERS * WRITES_EACH - WRITERS * WRITES_EACH / 5;

    for (int i = 0; i < WRITERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, writer_thread, f), 0);
    for (int i = 0; i < WRITERS; i++) {
        void *rc = NULL;
        pthread_join(t[i], &rc);
        assert_null(rc);
    }
    /* Every write has committed; the feed delivers on its own thread: wait for all of it. */
    pthread_mutex_lock(&f->feed.mu);
    while (f->feed.n < want && !f->feed.bad_payload)
        pthread_cond_wait(&f->feed.cv, &f->feed.mu);
    pthread_mutex_unlock(&f->feed.mu);
    assert_false(f->feed.bad_payload);
    assert_int_equal(f->feed.n, want);
    for (size_t i = 0; i < f->feed.n; i++) {
        assert_true(f->feed.seen[i] % 5 != 0); /* a failed write's notification */
        if (i > 0)
            assert_true(f->feed.seen[i] > f->feed.seen[i - 1]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_notifications_in_commit_order, fx_setup, fx_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
