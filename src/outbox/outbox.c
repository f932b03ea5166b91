/*
 * outbox.c: the durable outbox's worker (see outbox.h).
 */
#include "outbox/outbox.h"

#include "core/ids.h"
#include "core/json.h"
#include "core/log.h"
#include "store/store.h"
#include "store/outbox.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define OUTBOX_KINDS 16
#define BACKOFF_MAX_MS (5LL * 60 * 1000)

struct outbox {
    struct {
        char kind[32];
        outbox_handler fn;
        int max_attempts;
    } handlers[OUTBOX_KINDS];
    size_t nhandlers;
    char lane_kind[32]; /* "" = every kind */
    struct store_outbox_lane lane;
    char owner[SB_ID_LEN + 1]; /* this process's lease name */
    struct sb_ctx *ctx;
    pthread_t thread;
    bool running;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop, kicked;
};

sb_err outbox_new(struct outbox **out)
{
    struct outbox *ob = calloc(1, sizeof(*ob));
    pthread_condattr_t ca;

    if (!ob)
        return SB_ERR_NOMEM;
    if (pthread_mutex_init(&ob->mu, NULL) != 0) {
        free(ob);
        return SB_ERR_NOMEM;
    }
    /* Waits are measured on the monotonic clock: a wall-clock step must not stall the worker. */
    if (pthread_condattr_init(&ca) != 0 || pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
        pthread_cond_init(&ob->cv, &ca) != 0) {
        pthread_mutex_destroy(&ob->mu);
        free(ob);
        return SB_ERR_NOMEM;
    }
    pthread_condattr_destroy(&ca);
    *out = ob;
    return SB_OK;
}

sb_err outbox_register(struct outbox *ob, const char *kind, outbox_handler h)
{
    return outbox_register_limit(ob, kind, h, OUTBOX_MAX_ATTEMPTS);
}

sb_err outbox_register_limit(struct outbox *ob, const char *kind, outbox_handler h,
                             int max_attempts)
{
    if (strlen(kind) >= sizeof(ob->handlers[0].kind))
        return SB_ERR_INVALID;
    for (size_t i = 0; i < ob->nhandlers; i++)
        if (strcmp(ob->handlers[i].kind, kind) == 0)
            return SB_ERR_CONFLICT;
    if (ob->nhandlers == OUTBOX_KINDS)
        return SB_ERR_NOMEM;
    snprintf(ob->handlers[ob->nhandlers].kind, sizeof(ob->handlers[0].kind), "%s", kind);
    ob->handlers[ob->nhandlers].fn = h;
    ob->handlers[ob->nhandlers].max_attempts = max_attempts;
    ob->nhandlers++;
    return SB_OK;
}

sb_err outbox_set_lane(struct outbox *ob, const char *kind, bool only)
{
    if (strlen(kind) >= sizeof(ob->lane_kind))
        return SB_ERR_INVALID;
    snprintf(ob->lane_kind, sizeof(ob->lane_kind), "%s", kind);
    ob->lane.kind = ob->lane_kind;
    ob->lane.only = only;
    return SB_OK;
}

static const struct store_outbox_lane *lane_of(const struct outbox *ob)
{
    return ob->lane_kind[0] ? &ob->lane : NULL;
}

static outbox_handler find(const struct outbox *ob, const char *kind, int *max_attempts)
{
    for (size_t i = 0; i < ob->nhandlers; i++)
        if (strcmp(ob->handlers[i].kind, kind) == 0) {
            *max_attempts = ob->handlers[i].max_attempts;
            return ob->handlers[i].fn;
        }
    *max_attempts = OUTBOX_MAX_ATTEMPTS;
    return NULL;
}

static int64_t backoff_ms(int attempt)
{
    int64_t ms = 1000;

    for (int i = 1; i < attempt && ms < BACKOFF_MAX_MS; i++)
        ms *= 2;
    return ms < BACKOFF_MAX_MS ? ms : BACKOFF_MAX_MS;
}

/* Runs one claimed job and records its result. */
static sb_err run_job(struct outbox *ob, struct sb_ctx *ctx, const struct sb_outbox_job *job,
                      const char *payload_text)
{
    int max_attempts;
    outbox_handler fn = find(ob, job->kind, &max_attempts);
    json_t *payload = json_loads(payload_text, 0, NULL);
    char error[512] = "";
    int64_t retry_in = 0, now;
    outbox_result r;
    const char *state;

    if (!fn) {
        /* Another version of the server may know the kind: leave the job for it. */
        snprintf(error, sizeof(error), "no handler for kind %s", job->kind);
        r = OUTBOX_RETRY;
        retry_in = BACKOFF_MAX_MS;
    } else if (!payload) {
        snprintf(error, sizeof(error), "the payload is not JSON");
        r = OUTBOX_FAIL;
    } else {
        r = fn(ctx, job->id, payload, job->attempts, &retry_in, error, sizeof(error));
    }
    json_decref(payload);
    if (r == OUTBOX_RETRY && fn && job->attempts >= max_attempts)
        r = OUTBOX_FAIL;
    if (r == OUTBOX_RETRY && retry_in <= 0)
        retry_in = backoff_ms(job->attempts);
    now = sb_now_ms(ctx);
    state = r == OUTBOX_DONE ? "done" : r == OUTBOX_FAIL ? "failed" : "pending";
    if (r != OUTBOX_DONE)
        sb_log_info("outbox job %s (%s) attempt %d: %s: %s", job->id, job->kind, job->attempts,
                    state, error);
    return store_outbox_finish(ctx->store, job->id, ob->owner, state,
                               r == OUTBOX_RETRY ? now + retry_in : now,
                               r == OUTBOX_DONE ? "" : error, now);
}

sb_err outbox_run_due(struct outbox *ob, struct sb_ctx *ctx, int max, int *ran)
{
    struct sb_outbox_job job;
    char *payload = NULL;
    sb_err err = SB_OK;

    *ran = 0;
    if (!ob->owner[0])
        sb_id_new(ctx, ob->owner);
    while (*ran < max) {
        int64_t now = sb_now_ms(ctx);
        err = store_outbox_claim_lane(ctx->store, now, now + OUTBOX_LEASE_MS, ob->owner,
                                      lane_of(ob), &job, &payload);
        if (err == SB_ERR_NOT_FOUND)
            return SB_OK;
        if (err)
            return err;
        err = run_job(ob, ctx, &job, payload);
        free(payload);
        payload = NULL;
        (*ran)++;
        if (err && err != SB_ERR_NOT_FOUND) /* NOT_FOUND: the lease was lost meanwhile */
            return err;
        err = SB_OK;
    }
    return err;
}

static void deadline_in(struct timespec *ts, int64_t ms)
{
    clock_gettime(CLOCK_MONOTONIC, ts);
    ts->tv_sec += (time_t)(ms / 1000);
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) {
        ts->tv_sec++;
        ts->tv_nsec -= 1000000000L;
    }
}

static void *worker_main(void *arg)
{
    struct outbox *ob = arg;
    struct sb_ctx *ctx = ob->ctx;

    for (;;) {
        int64_t due = INT64_MAX, wait_ms = OUTBOX_POLL_MS, now;
        struct timespec ts;
        int ran = 0;

        pthread_mutex_lock(&ob->mu);
        ob->kicked = false;
        if (ob->stop) {
            pthread_mutex_unlock(&ob->mu);
            break;
        }
        pthread_mutex_unlock(&ob->mu);
        now = sb_now_ms(ctx);
        if (store_outbox_next_due_lane(ctx->store, now, lane_of(ob), &due) == SB_OK && due <= now) {
            if (outbox_run_due(ob, ctx, 16, &ran) != SB_OK)
                sb_log_error("outbox: cannot run jobs (retrying)");
            if (ran)
                continue;
        } else if (due != INT64_MAX && due - now < wait_ms) {
            wait_ms = due - now;
        }
        pthread_mutex_lock(&ob->mu);
        deadline_in(&ts, wait_ms);
        while (!ob->stop && !ob->kicked)
            if (pthread_cond_timedwait(&ob->cv, &ob->mu, &ts) == ETIMEDOUT)
                break;
        pthread_mutex_unlock(&ob->mu);
    }
    return NULL;
}

sb_err outbox_start(struct outbox *ob, struct sb_ctx *ctx)
{
    ob->ctx = ctx;
    if (!ob->owner[0])
        sb_id_new(ctx, ob->owner);
    /* A lane of one kind starts after the outbox of the others, which released every lease
     * before its worker ran: releasing again would free that worker's claims. */
    if (!(ob->lane_kind[0] && ob->lane.only) && !store_shared(ctx->store) &&
        store_outbox_release_leases(ctx->store) != SB_OK)
        return SB_ERR_IO;
    if (pthread_create(&ob->thread, NULL, worker_main, ob) != 0)
        return SB_ERR_NOMEM;
    ob->running = true;
    return SB_OK;
}

void outbox_kick(struct outbox *ob)
{
    if (!ob)
        return;
    pthread_mutex_lock(&ob->mu);
    ob->kicked = true;
    pthread_cond_signal(&ob->cv);
    pthread_mutex_unlock(&ob->mu);
}

void outbox_stop(struct outbox *ob)
{
    if (!ob || !ob->running)
        return;
    pthread_mutex_lock(&ob->mu);
    ob->stop = true;
    pthread_cond_signal(&ob->cv);
    pthread_mutex_unlock(&ob->mu);
    pthread_join(ob->thread, NULL);
    ob->running = false;
}

void outbox_free(struct outbox *ob)
{
    if (!ob)
        return;
    outbox_stop(ob);
    pthread_cond_destroy(&ob->cv);
    pthread_mutex_destroy(&ob->mu);
    free(ob);
}

sb_err outbox_prepare(struct sb_ctx *ctx, const char *kind, json_t *payload,
                      struct sb_outbox_job *job, char **text)
{
    sb_err err;

    memset(job, 0, sizeof(*job));
    *text = NULL;
    if (strlen(kind) >= sizeof(job->kind))
        return SB_ERR_INVALID;
    err = sb_json_dump(payload, text);
    if (err)
        return err;
    sb_id_new(ctx, job->id);
    snprintf(job->kind, sizeof(job->kind), "%s", kind);
    job->created_ms = job->next_at_ms = sb_now_ms(ctx);
    return SB_OK;
}

sb_err outbox_enqueue(struct sb_ctx *ctx, const char *kind, json_t *payload,
                      char job_id[SB_ID_LEN + 1])
{
    struct sb_outbox_job job;
    char *text = NULL;
    sb_err err;

    err = outbox_prepare(ctx, kind, payload, &job, &text);
    if (err)
        return err;
    err = store_outbox_insert(ctx->store, &job, text);
    free(text);
    if (err)
        return err;
    memcpy(job_id, job.id, SB_ID_LEN + 1);
    outbox_kick(ctx->outbox);
    return SB_OK;
}

sb_err outbox_get(struct sb_ctx *ctx, const char *job_id, struct sb_outbox_job *out)
{
    return store_outbox_get(ctx->store, job_id, out, NULL);
}
