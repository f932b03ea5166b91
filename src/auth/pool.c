/*
 * pool.c: a fixed set of threads taking jobs from a bounded ring (see pool.h).
 */
#include "auth/pool.h"

#include <pthread.h>
#include <stdlib.h>

struct job {
    auth_pool_fn fn;
    void *arg;
};

struct auth_pool {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct job *ring;
    size_t cap, head, len;
    bool stopping, stopped;
    pthread_t *threads;
    int nthreads; /* threads started */
};

static void *worker(void *arg)
{
    struct auth_pool *p = arg;

    pthread_mutex_lock(&p->mu);
    for (;;) {
        struct job j;
        bool cancelled;

        while (p->len == 0 && !p->stopping)
            pthread_cond_wait(&p->cv, &p->mu);
        if (p->len == 0)
            break; /* stopping, and nothing left to run */
        j = p->ring[p->head];
        p->head = (p->head + 1) % p->cap;
        p->len--;
        cancelled = p->stopping;
        pthread_mutex_unlock(&p->mu);
        j.fn(j.arg, cancelled);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

sb_err auth_pool_new(int threads, size_t queue_cap, struct auth_pool **out)
{
    struct auth_pool *p = calloc(1, sizeof(*p));
    sb_err err = SB_ERR_NOMEM;

    *out = NULL;
    if (!p)
        return SB_ERR_NOMEM;
    if (pthread_mutex_init(&p->mu, NULL) != 0) {
        free(p);
        return SB_ERR_NOMEM;
    }
    if (pthread_cond_init(&p->cv, NULL) != 0) {
        pthread_mutex_destroy(&p->mu);
        free(p);
        return SB_ERR_NOMEM;
    }
    p->cap = queue_cap ? queue_cap : 1;
    p->ring = calloc(p->cap, sizeof(*p->ring));
    p->threads = calloc((size_t)(threads > 0 ? threads : 1), sizeof(*p->threads));
    if (!p->ring || !p->threads)
        goto out;
    for (int i = 0; i < (threads > 0 ? threads : 1); i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            err = SB_ERR_IO;
            goto out;
        }
        p->nthreads++;
    }
    *out = p;
    return SB_OK;
out:
    auth_pool_free(p);
    return err;
}

sb_err auth_pool_submit(struct auth_pool *p, auth_pool_fn fn, void *arg)
{
    sb_err err = SB_ERR_UNAVAILABLE;

    if (!p)
        return err;
    pthread_mutex_lock(&p->mu);
    if (!p->stopping && p->len < p->cap) {
        p->ring[(p->head + p->len) % p->cap] = (struct job){fn, arg};
        p->len++;
        pthread_cond_signal(&p->cv);
        err = SB_OK;
    }
    pthread_mutex_unlock(&p->mu);
    return err;
}

void auth_pool_stop(struct auth_pool *p)
{
    bool join;

    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    join = !p->stopped;
    p->stopping = true;
    p->stopped = true;
    pthread_cond_broadcast(&p->cv);
    /* The queued jobs are cancelled here rather than waiting for a free thread. */
    while (p->len > 0) {
        struct job j = p->ring[p->head];

        p->head = (p->head + 1) % p->cap;
        p->len--;
        pthread_mutex_unlock(&p->mu);
        j.fn(j.arg, true);
        pthread_mutex_lock(&p->mu);
    }
    pthread_mutex_unlock(&p->mu);
    if (!join)
        return;
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
}

void auth_pool_free(struct auth_pool *p)
{
    if (!p)
        return;
    auth_pool_stop(p);
    pthread_cond_destroy(&p->cv);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
    free(p->ring);
    free(p);
}
