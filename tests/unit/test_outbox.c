/*
 * test_outbox.c: the durable outbox on SQLite: jobs run once and are marked done, retries with
 * the handler's delay or backoff, giving up, survival across a reopen, leases between two
 * workers, and the worker thread (woken by enqueue; leftover leases cleared at start).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"
#include "outbox/outbox.h"
#include "store/outbox.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

/* What the handlers saw; one per test, reached through a file-level pointer because handlers
 * take no user argument (tests run one at a time). */
struct seen {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int runs;
    int last_attempt;
    char last_value[64];
    outbox_result answer;
    int64_t retry_in;
};

static struct seen *seen;

static outbox_result handler(struct sb_ctx *ctx, const char *job_id, json_t *payload, int attempt,
                             int64_t *retry_in_ms, char *error, size_t error_cap)
{
    outbox_result r;

    (void)ctx;
    (void)job_id;
    pthread_mutex_lock(&seen->mu);
    seen->runs++;
    seen->last_attempt = attempt;
    snprintf(seen->last_value, sizeof(seen->last_value), "%s",
             json_string_value(json_object_get(payload, "v")));
    r = seen->answer;
    *retry_in_ms = seen->retry_in;
    snprintf(error, error_cap, "failed on attempt %d", attempt);
    pthread_cond_broadcast(&seen->cv);
    pthread_mutex_unlock(&seen->mu);
    return r;
}

static int setup(void **state)
{
    if (cfx_setup(state) != 0)
        return -1;
    seen = calloc(1, sizeof(*seen));
    if (!seen)
        return -1;
    pthread_mutex_init(&seen->mu, NULL);
    pthread_cond_init(&seen->cv, NULL);
    seen->answer = OUTBOX_DONE;
    return 0;
}

static int teardown(void **state)
{
    pthread_mutex_destroy(&seen->mu);
    pthread_cond_destroy(&seen->cv);
    free(seen);
    seen = NULL;
    return cfx_teardown(state);
}

static struct outbox *new_outbox(void)
{
    struct outbox *ob = NULL;

    assert_int_equal(outbox_new(&ob), SB_OK);
    assert_int_equal(outbox_register(ob, "test", handler), SB_OK);
    assert_int_equal(outbox_register(ob, "test", handler), SB_ERR_CONFLICT);
    return ob;
}

static void enqueue(struct cfx *f, const char *v, sb_id id)
{
    json_t *p = json_pack("{s:s}", "v", v);

    assert_int_equal(outbox_enqueue(&f->ctx, "test", p, id), SB_OK);
    json_decref(p);
}

static void expect_job(struct cfx *f, const char *id, const char *state, int attempts)
{
    struct sb_outbox_job j;

    assert_int_equal(outbox_get(&f->ctx, id, &j), SB_OK);
    assert_string_equal(j.state, state);
    assert_int_equal(j.attempts, attempts);
}

static int run(struct outbox *ob, struct cfx *f)
{
    int ran = -1;

    assert_int_equal(outbox_run_due(ob, &f->ctx, 100, &ran), SB_OK);
    return ran;
}

static void test_runs_once(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    struct sb_outbox_job j;
    sb_id id;

    enqueue(f, "hello", id);
    expect_job(f, id, "pending", 0);
    assert_int_equal(run(ob, f), 1);
    assert_int_equal(seen->runs, 1);
    assert_int_equal(seen->last_attempt, 1);
    assert_string_equal(seen->last_value, "hello");
    expect_job(f, id, "done", 1);
    assert_int_equal(outbox_get(&f->ctx, id, &j), SB_OK);
    assert_string_equal(j.last_error, "");
    assert_int_equal(run(ob, f), 0);
    assert_int_equal(outbox_get(&f->ctx, "00000000-0000-4000-8000-000000000000", &j),
                     SB_ERR_NOT_FOUND);
    outbox_free(ob);
}

static void test_retry_and_backoff(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    struct sb_outbox_job j;
    sb_id id;

    enqueue(f, "x", id);
    seen->answer = OUTBOX_RETRY;
    seen->retry_in = 5000;
    assert_int_equal(run(ob, f), 1);
    assert_int_equal(outbox_get(&f->ctx, id, &j), SB_OK);
    assert_string_equal(j.state, "pending");
    assert_string_equal(j.last_error, "failed on attempt 1");
    assert_int_equal(j.next_at_ms, atomic_load(&f->now_ms) + 5000);
    assert_int_equal(run(ob, f), 0);
    atomic_fetch_add(&f->now_ms, 5000);
    /* No delay from the handler: backoff 1 s, 2 s, 4 s... after attempt 1, 2, 3. */
    seen->retry_in = 0;
    assert_int_equal(run(ob, f), 1);
    assert_int_equal(outbox_get(&f->ctx, id, &j), SB_OK);
    assert_int_equal(j.attempts, 2);
    assert_int_equal(j.next_at_ms, atomic_load(&f->now_ms) + 2000);
    atomic_fetch_add(&f->now_ms, 2000);
    seen->answer = OUTBOX_DONE;
    assert_int_equal(run(ob, f), 1);
    expect_job(f, id, "done", 3);
    outbox_free(ob);
}

static void test_give_up(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    struct sb_outbox_job j;
    sb_id a, b;

    enqueue(f, "a", a);
    seen->answer = OUTBOX_FAIL;
    assert_int_equal(run(ob, f), 1);
    assert_int_equal(outbox_get(&f->ctx, a, &j), SB_OK);
    assert_string_equal(j.state, "failed");
    assert_string_equal(j.last_error, "failed on attempt 1");
    /* A job that keeps asking for a retry fails after OUTBOX_MAX_ATTEMPTS runs. */
    enqueue(f, "b", b);
    seen->answer = OUTBOX_RETRY;
    seen->retry_in = 1;
    for (int i = 0; i < OUTBOX_MAX_ATTEMPTS; i++) {
        assert_int_equal(run(ob, f), 1);
        atomic_fetch_add(&f->now_ms, 1);
    }
    expect_job(f, b, "failed", OUTBOX_MAX_ATTEMPTS);
    assert_int_equal(run(ob, f), 0);
    outbox_free(ob);
}

static void test_survives_reopen(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    sb_id id;

    enqueue(f, "kept", id);
    assert_int_equal(cfx_reopen(f), 0);
    expect_job(f, id, "pending", 0);
    assert_int_equal(run(ob, f), 1);
    assert_string_equal(seen->last_value, "kept");
    expect_job(f, id, "done", 1);
    outbox_free(ob);
}

static void test_unknown_kind_stays(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    json_t *p = json_object();
    sb_id id;

    assert_int_equal(outbox_enqueue(&f->ctx, "other", p, id), SB_OK);
    json_decref(p);
    assert_int_equal(run(ob, f), 1);
    expect_job(f, id, "pending", 1);
    assert_int_equal(seen->runs, 0);
    outbox_free(ob);
}

static void test_lease(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    struct sb_outbox_job j;
    char *payload = NULL;
    int64_t now = atomic_load(&f->now_ms), due = 0;
    sb_id id;

    enqueue(f, "leased", id);
    /* Another process claimed it and has not finished. */
    assert_int_equal(
        store_outbox_claim(f->ctx.store, now, now + OUTBOX_LEASE_MS, "other-node", &j, &payload),
        SB_OK);
    assert_string_equal(j.id, id);
    free(payload);
    assert_int_equal(
        store_outbox_claim(f->ctx.store, now, now + OUTBOX_LEASE_MS, "third", &j, &payload),
        SB_ERR_NOT_FOUND);
    assert_int_equal(run(ob, f), 0);
    assert_int_equal(store_outbox_next_due(f->ctx.store, now, &due), SB_OK);
    assert_int_equal(due, now + OUTBOX_LEASE_MS);
    /* It died: after the lease the job runs here. */
    atomic_fetch_add(&f->now_ms, OUTBOX_LEASE_MS);
    assert_int_equal(run(ob, f), 1);
    expect_job(f, id, "done", 2);
    /* The late finish of the dead owner changes nothing. */
    assert_int_equal(
        store_outbox_finish(f->ctx.store, id, "other-node", "failed", now, "late", now),
        SB_ERR_NOT_FOUND);
    expect_job(f, id, "done", 2);
    outbox_free(ob);
}

/* Waits (bounded) until the handler ran n times. */
static void wait_runs(int n)
{
    struct timespec ts;
    int rc = 0;

    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += 20;
    pthread_mutex_lock(&seen->mu);
    while (seen->runs < n && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&seen->cv, &seen->mu, &ts);
    pthread_mutex_unlock(&seen->mu);
    assert_true(seen->runs >= n);
}

static void test_worker_thread(void **state)
{
    struct cfx *f = *state;
    struct outbox *ob = new_outbox();
    struct sb_outbox_job j;
    char *payload = NULL;
    int64_t now = atomic_load(&f->now_ms);
    sb_id crashed, fresh;

    /* A job claimed by this process before a kill -9: the lease is cleared at start. */
    enqueue(f, "crashed", crashed);
    assert_int_equal(
        store_outbox_claim(f->ctx.store, now, now + OUTBOX_LEASE_MS, "dead", &j, &payload), SB_OK);
    free(payload);
    f->ctx.outbox = ob;
    assert_int_equal(outbox_start(ob, &f->ctx), SB_OK);
    wait_runs(1);
    assert_string_equal(seen->last_value, "crashed");
    enqueue(f, "fresh", fresh);
    wait_runs(2);
    outbox_stop(ob);
    expect_job(f, crashed, "done", 2);
    expect_job(f, fresh, "done", 1);
    outbox_stop(ob);
    f->ctx.outbox = NULL;
    outbox_free(ob);
}

/* Lanes: a worker of one kind runs only that kind; the other worker runs everything else, and
 * neither touches the other's jobs. */
static void test_lanes(void **state)
{
    struct cfx *f = *state;
    struct outbox *slow = NULL, *rest = new_outbox();
    json_t *p = json_pack("{s:s}", "v", "slow");
    sb_id fast_id, slow_id;

    assert_int_equal(outbox_new(&slow), SB_OK);
    assert_int_equal(outbox_register_limit(slow, "slow", handler, 3), SB_OK);
    assert_int_equal(outbox_set_lane(slow, "slow", true), SB_OK);
    assert_int_equal(outbox_set_lane(rest, "slow", false), SB_OK);
    enqueue(f, "fast", fast_id);
    assert_int_equal(outbox_enqueue(&f->ctx, "slow", p, slow_id), SB_OK);
    json_decref(p);
    assert_int_equal(run(slow, f), 1);
    assert_string_equal(seen->last_value, "slow");
    expect_job(f, fast_id, "pending", 0);
    assert_int_equal(run(rest, f), 1);
    assert_string_equal(seen->last_value, "fast");
    expect_job(f, fast_id, "done", 1);
    expect_job(f, slow_id, "done", 1);
    outbox_free(slow);
    outbox_free(rest);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_runs_once),
        T(test_retry_and_backoff),
        T(test_give_up),
        T(test_survives_reopen),
        T(test_unknown_kind_stays),
        T(test_lease),
        T(test_worker_thread),
        T(test_lanes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
