#include "webhooks/ratelimit.h"

#include <math.h>
#include <stdatomic.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define STRIPES 64
#define SLOTS_PER_STRIPE 64

struct bucket {
    char key[SB_ID_LEN + 1];
    double tokens;
    int64_t last_ms;
    struct bucket *next;
};

struct stripe {
    pthread_mutex_t mu;
    struct bucket *slots[SLOTS_PER_STRIPE];
};

struct webhook_limiter {
    _Atomic double rate; /* changed by webhook_limiter_set_rate (SIGHUP) while posts take */
    struct stripe stripes[STRIPES];
};

static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u; /* FNV-1a */

    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

sb_err webhook_limiter_new(double rate, struct webhook_limiter **out)
{
    struct webhook_limiter *l = calloc(1, sizeof(*l));

    *out = NULL;
    if (!l)
        return SB_ERR_NOMEM;
    atomic_init(&l->rate, rate);
    for (int i = 0; i < STRIPES; i++)
        pthread_mutex_init(&l->stripes[i].mu, NULL);
    *out = l;
    return SB_OK;
}

void webhook_limiter_set_rate(struct webhook_limiter *l, double rate)
{
    atomic_store_explicit(&l->rate, rate, memory_order_relaxed);
}

void webhook_limiter_free(struct webhook_limiter *l)
{
    if (!l)
        return;
    for (int i = 0; i < STRIPES; i++) {
        for (int j = 0; j < SLOTS_PER_STRIPE; j++) {
            struct bucket *b = l->stripes[i].slots[j];
            while (b) {
                struct bucket *next = b->next;
                free(b);
                b = next;
            }
        }
        pthread_mutex_destroy(&l->stripes[i].mu);
    }
    free(l);
}

bool webhook_limiter_take(struct webhook_limiter *l, const char *key, int64_t now_ms,
                          int *retry_after_s)
{
    uint32_t h = hash(key);
    struct stripe *s = &l->stripes[h % STRIPES];
    struct bucket **slot = &s->slots[(h / STRIPES) % SLOTS_PER_STRIPE], *b;
    double rate = atomic_load_explicit(&l->rate, memory_order_relaxed);
    double burst = rate < 1 ? 1 : rate;
    bool ok;

    if (rate <= 0)
        return true;
    if (strlen(key) > SB_ID_LEN)
        key = "";
    pthread_mutex_lock(&s->mu);
    for (b = *slot; b && strcmp(b->key, key) != 0; b = b->next)
        ;
    if (!b) {
        b = calloc(1, sizeof(*b));
        if (!b) {
            /* Without memory for a bucket, let the post through rather than refuse it. */
            pthread_mutex_unlock(&s->mu);
            return true;
        }
        strncpy(b->key, key, SB_ID_LEN);
        b->tokens = burst;
        b->last_ms = now_ms;
        b->next = *slot;
        *slot = b;
    }
    if (now_ms > b->last_ms) {
        b->tokens = fmin(burst, b->tokens + (double)(now_ms - b->last_ms) * rate / 1000.0);
        b->last_ms = now_ms;
    }
    ok = b->tokens >= 1.0;
    if (ok)
        b->tokens -= 1.0;
    else
        *retry_after_s = (int)ceil((1.0 - b->tokens) / rate);
    if (!ok && *retry_after_s < 1)
        *retry_after_s = 1;
    pthread_mutex_unlock(&s->mu);
    return ok;
}
