/*
 * test_auth_pool.c: the password-hashing pool: jobs run off the caller's thread, a full queue
 * refuses at once, stopping finishes the jobs in progress, cancels the queued ones and refuses
 * new ones.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "auth/pool.h"

#include <pthread.h>
#include <stdbool.h>

/* Jobs that wait until the test opens the gate, so the queue can be filled on purpose. */
struct gate {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool open;
    int started, ran, cancelled;
};

struct job {
    struct gate *g;
    pthread_t thread;
};

static void job_fn(void *arg, bool cancelled)
{
    struct job *j = arg;
    struct gate *g = j->g;

    pthread_mutex_lock(&g->mu);
    j->thread = pthread_self();
    if (cancelled) {
        /* Cancelled jobs are called before the running ones are waited for: let those go. */
        g->cancelled++;
        g->open = true;
        pthread_cond_broadcast(&g->cv);
    } else {
        g->started++;
        pthread_cond_broadcast(&g->cv);
        while (!g->open)
            pthread_cond_wait(&g->cv, &g->mu);
        g->ran++;
    }
    pthread_mutex_unlock(&g->mu);
}

static void wait_started(struct gate *g, int n)
{
    pthread_mutex_lock(&g->mu);
    while (g->started < n)
        pthread_cond_wait(&g->cv, &g->mu);
    pthread_mutex_unlock(&g->mu);
}

static void test_full_queue_refuses_and_stop_cancels_queued(void **state)
{
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, false, 0, 0, 0};
    struct job jobs[6];
    struct auth_pool *p = NULL;

    (void)state;
    for (size_t i = 0; i < 6; i++)
        jobs[i] = (struct job){&g, pthread_self()};
    assert_int_equal(auth_pool_new(2, 3, &p), SB_OK);
    /* Two jobs occupy both threads ... */
    assert_int_equal(auth_pool_submit(p, job_fn, &jobs[0]), SB_OK);
    assert_int_equal(auth_pool_submit(p, job_fn, &jobs[1]), SB_OK);
    wait_started(&g, 2);
    /* ... three wait in the queue, and a sixth is refused at once. */
    for (size_t i = 2; i < 5; i++)
        assert_int_equal(auth_pool_submit(p, job_fn, &jobs[i]), SB_OK);
    assert_int_equal(auth_pool_submit(p, job_fn, &jobs[5]), SB_ERR_UNAVAILABLE);
    /* Stopping cancels the three queued ones (the first opens the gate), then lets the two
     * running jobs finish. */
    auth_pool_stop(p);
    assert_int_equal(g.started, 2);
    assert_int_equal(g.ran, 2);
    assert_int_equal(g.cancelled, 3);
    for (size_t i = 0; i < 2; i++)
        assert_false(pthread_equal(jobs[i].thread, pthread_self()));
    assert_int_equal(auth_pool_submit(p, job_fn, &jobs[5]), SB_ERR_UNAVAILABLE);
    auth_pool_stop(p); /* idempotent */
    auth_pool_free(p);
    assert_int_equal(auth_pool_submit(NULL, job_fn, &jobs[5]), SB_ERR_UNAVAILABLE);
}

static void test_jobs_run(void **state)
{
    struct gate g = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, true, 0, 0, 0};
    struct job jobs[50];
    struct auth_pool *p = NULL;
    int accepted = 0;

    (void)state;
    assert_int_equal(auth_pool_new(2, 64, &p), SB_OK);
    for (size_t i = 0; i < 50; i++) {
        jobs[i] = (struct job){&g, pthread_self()};
        accepted += auth_pool_submit(p, job_fn, &jobs[i]) == SB_OK;
    }
    assert_int_equal(accepted, 50);
    wait_started(&g, 50);
    auth_pool_free(p);
    assert_int_equal(g.ran, 50);
    assert_int_equal(g.cancelled, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_queue_refuses_and_stop_cancels_queued),
        cmocka_unit_test(test_jobs_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
