#include "events/bus.h"

#include "core/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct event {
    atomic_int refs;
    int64_t seq;
    size_t len;
    char text[];
};

struct events_sub {
    struct events_bus *bus;
    pthread_mutex_t mu;
    sb_id user_id;
    bool all_teams;
    sb_id *teams;
    size_t nteams, cap;
    int64_t after_seq;
    struct event **queue; /* ring, grown on demand up to EVENTS_QUEUE_MAX (idle: none) */
    size_t qcap, head, count;
    char *pre; /* replayed text, sent before live events */
    size_t pre_len, pre_off;
    struct event *cur; /* the event being written, when it did not fit in one read */
    size_t cur_off;
    int64_t skip_through; /* live events up to here were replayed from the store */
    bool paused, closed, heartbeat_due, end_when_drained;
    bool sent; /* read() has returned bytes: the transport may be written directly */
    struct events_transport t;
    struct events_sub *prev, *next;
};

struct events_bus {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct events_sub *head;
    size_t n;
    int64_t through;
    bool stop;
    bool hb_started;
    pthread_t hb;
};

static void event_unref(struct event *e)
{
    if (e && atomic_fetch_sub(&e->refs, 1) == 1)
        free(e);
}

/* Called with s->mu held. */
static void wake_locked(struct events_sub *s)
{
    if (s->paused) {
        s->paused = false;
        s->t.wake(s->t.conn);
    }
}

/* Appends text to what is sent before live events (called with s->mu held). */
static sb_err pre_append(struct events_sub *s, const char *text, size_t len)
{
    char *p = realloc(s->pre, s->pre_len + len);

    if (!p)
        return SB_ERR_NOMEM;
    memcpy(p + s->pre_len, text, len);
    s->pre = p;
    s->pre_len += len;
    return SB_OK;
}

/* Hands text straight to a paused subscriber's transport (called with s->mu held). Returns the
 * bytes written: len when all of it went out (the subscriber stays paused), fewer when the rest
 * must go through events_sub_read() (the subscriber is not woken here), -1 when nothing could
 * be written directly (not paused, no write(), or it cannot) or the subscriber is gone (then it
 * is closed and woken, so that its stream ends). */
static ssize_t write_direct(struct events_sub *s, const char *text, size_t len)
{
    ssize_t n;

    if (!s->paused || !s->sent || !s->t.write)
        return -1;
    n = s->t.write(s->t.conn, text, len);
    if (n == EVENTS_WRITE_NONE) {
        s->t.write = NULL; /* this connection never can: wake it from now on */
        return -1;
    }
    if (n < 0) {
        s->closed = true;
        wake_locked(s);
        return -1;
    }
    return n;
}

static void heartbeat_one(struct events_sub *s)
{
    static const char ping[] = ": ping\n\n";
    ssize_t n = write_direct(s, ping, sizeof(ping) - 1);

    if (n == (ssize_t)sizeof(ping) - 1 || s->closed)
        return;
    if (n > 0 && pre_append(s, ping + n, sizeof(ping) - 1 - (size_t)n) != SB_OK)
        s->closed = true; /* half a comment line went out: end the stream, the client resumes */
    if (n <= 0)
        s->heartbeat_due = true;
    wake_locked(s);
}

static void *heartbeat_main(void *arg)
{
    struct events_bus *b = arg;
    struct timespec until;

    pthread_setname_np(pthread_self(), "sb-heartbeat");
    pthread_mutex_lock(&b->mu);
    while (!b->stop) {
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += EVENTS_HEARTBEAT_MS / 1000;
        if (pthread_cond_timedwait(&b->cv, &b->mu, &until) != ETIMEDOUT)
            continue;
        for (struct events_sub *s = b->head; s; s = s->next) {
            pthread_mutex_lock(&s->mu);
            heartbeat_one(s);
            pthread_mutex_unlock(&s->mu);
        }
    }
    pthread_mutex_unlock(&b->mu);
    return NULL;
}

sb_err events_bus_new(struct events_bus **out)
{
    struct events_bus *b = calloc(1, sizeof(*b));

    *out = NULL;
    if (!b)
        return SB_ERR_NOMEM;
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    if (pthread_create(&b->hb, NULL, heartbeat_main, b) != 0) {
        events_bus_free(b);
        return SB_ERR_IO;
    }
    b->hb_started = true;
    *out = b;
    return SB_OK;
}

void events_bus_shutdown(struct events_bus *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->mu);
    b->stop = true;
    pthread_cond_broadcast(&b->cv);
    for (struct events_sub *s = b->head; s; s = s->next) {
        pthread_mutex_lock(&s->mu);
        s->closed = true;
        wake_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_unlock(&b->mu);
    if (b->hb_started) {
        pthread_join(b->hb, NULL);
        b->hb_started = false;
    }
}

void events_bus_free(struct events_bus *b)
{
    if (!b)
        return;
    events_bus_shutdown(b);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}

size_t events_bus_subscribers(struct events_bus *b)
{
    size_t n;

    pthread_mutex_lock(&b->mu);
    n = b->n;
    pthread_mutex_unlock(&b->mu);
    return n;
}

int64_t events_bus_through(struct events_bus *b)
{
    int64_t v;

    pthread_mutex_lock(&b->mu);
    v = b->through;
    pthread_mutex_unlock(&b->mu);
    return v;
}

void events_bus_set_through(struct events_bus *b, int64_t seq)
{
    pthread_mutex_lock(&b->mu);
    if (seq > b->through)
        b->through = seq;
    pthread_mutex_unlock(&b->mu);
}

static bool sees(const struct events_sub *s, const char *team_id)
{
    if (s->all_teams)
        return true;
    for (size_t i = 0; i < s->nteams; i++)
        if (strcmp(s->teams[i], team_id) == 0)
            return true;
    return false;
}

/* Makes room for one more queued event (called with s->mu held). */
static sb_err grow_queue(struct events_sub *s)
{
    struct event **q;
    size_t cap;

    if (s->count < s->qcap)
        return SB_OK;
    cap = s->qcap ? s->qcap * 2 : 4;
    q = malloc(cap * sizeof(*q));
    if (!q)
        return SB_ERR_NOMEM;
    for (size_t i = 0; s->qcap > 0 && i < s->count; i++)
        q[i] = s->queue[(s->head + i) % s->qcap];
    free(s->queue);
    s->queue = q;
    s->qcap = cap;
    s->head = 0;
    return SB_OK;
}

bool events_bus_wanted(struct events_bus *b, const char *team_id)
{
    bool wanted = false;

    pthread_mutex_lock(&b->mu);
    for (struct events_sub *s = b->head; s && !wanted; s = s->next)
        wanted = sees(s, team_id);
    pthread_mutex_unlock(&b->mu);
    return wanted;
}

/* Delivers e to s (called with s->mu held): straight to its socket when it is paused, through
 * its queue and a wake-up otherwise (or for what did not fit). */
static void deliver(struct events_sub *s, struct event *e)
{
    ssize_t n;

    if (s->paused && e->seq && e->seq <= s->skip_through)
        return; /* already sent from the store; nothing else is pending while paused */
    n = write_direct(s, e->text, e->len);
    if (n == (ssize_t)e->len || s->closed)
        return;
    if (n >= 0) {
        /* Paused means nothing was pending: the rest of e goes first, through read(). */
        atomic_fetch_add(&e->refs, 1);
        s->cur = e;
        s->cur_off = (size_t)n;
    } else if (s->count == EVENTS_QUEUE_MAX || grow_queue(s) != SB_OK) {
        s->closed = true; /* too far behind: the client resumes from the store */
    } else {
        atomic_fetch_add(&e->refs, 1);
        s->queue[(s->head + s->count) % s->qcap] = e;
        s->count++;
    }
    wake_locked(s);
}

void events_publish(struct events_bus *b, int64_t seq, const char *type, const char *team_id,
                    const char *data)
{
    /* seq 0: no id line, so the client's Last-Event-ID stays where the messages put it. */
    char id[32] = "";
    size_t need;
    struct event *e;

    if (seq)
        snprintf(id, sizeof(id), "id: %lld\n", (long long)seq);
    need = (size_t)snprintf(NULL, 0, "%sevent: %s\ndata: %s\n\n", id, type, data);
    e = malloc(sizeof(*e) + need + 1);

    if (!e) {
        /* Subscribers will not see this event live; they get it on their next resume. */
        sb_log_warn("events: out of memory; event %lld not delivered live", (long long)seq);
        return;
    }
    atomic_init(&e->refs, 1);
    e->seq = seq;
    e->len = need;
    snprintf(e->text, need + 1, "%sevent: %s\ndata: %s\n\n", id, type, data);

    pthread_mutex_lock(&b->mu);
    for (struct events_sub *s = b->head; s; s = s->next) {
        if (!sees(s, team_id))
            continue;
        pthread_mutex_lock(&s->mu);
        if (!s->closed && (seq == 0 || seq > s->after_seq))
            deliver(s, e);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_unlock(&b->mu);
    event_unref(e);
}

static sb_err add_team(struct events_sub *s, const char *team_id)
{
    if (sees(s, team_id))
        return SB_OK;
    if (s->nteams == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        sb_id *p = realloc(s->teams, cap * sizeof(*p));
        if (!p)
            return SB_ERR_NOMEM;
        s->teams = p;
        s->cap = cap;
    }
    snprintf(s->teams[s->nteams++], sizeof(sb_id), "%s", team_id);
    return SB_OK;
}

void events_membership(struct events_bus *b, const char *user_id, const char *team_id, bool added)
{
    pthread_mutex_lock(&b->mu);
    for (struct events_sub *s = b->head; s; s = s->next) {
        if (strcmp(s->user_id, user_id) != 0)
            continue;
        pthread_mutex_lock(&s->mu);
        if (added) {
            if (add_team(s, team_id) != SB_OK)
                s->closed = true; /* cannot track it: end the stream, the client resumes */
        } else {
            for (size_t i = 0; i < s->nteams; i++) {
                if (strcmp(s->teams[i], team_id) == 0) {
                    memcpy(s->teams[i], s->teams[--s->nteams], sizeof(sb_id));
                    break;
                }
            }
        }
        wake_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_unlock(&b->mu);
}

void events_end_user(struct events_bus *b, const char *user_id)
{
    pthread_mutex_lock(&b->mu);
    for (struct events_sub *s = b->head; s; s = s->next) {
        if (strcmp(s->user_id, user_id) != 0)
            continue;
        pthread_mutex_lock(&s->mu);
        s->closed = true;
        wake_locked(s);
        pthread_mutex_unlock(&s->mu);
    }
    pthread_mutex_unlock(&b->mu);
}

sb_err events_subscribe(struct events_bus *b, const char *user_id, bool all_teams,
                        const sb_id *teams, size_t nteams, int64_t after_seq,
                        const struct events_transport *t, struct events_sub **out)
{
    struct events_sub *s = calloc(1, sizeof(*s));

    *out = NULL;
    if (!s)
        return SB_ERR_NOMEM;
    pthread_mutex_init(&s->mu, NULL);
    s->bus = b;
    snprintf(s->user_id, sizeof(s->user_id), "%s", user_id);
    s->all_teams = all_teams;
    s->after_seq = after_seq;
    s->t = *t;
    for (size_t i = 0; i < nteams; i++) {
        if (add_team(s, teams[i]) != SB_OK) {
            free(s->teams);
            pthread_mutex_destroy(&s->mu);
            free(s);
            return SB_ERR_NOMEM;
        }
    }
    pthread_mutex_lock(&b->mu);
    s->closed = b->stop;
    s->next = b->head;
    if (b->head)
        b->head->prev = s;
    b->head = s;
    b->n++;
    pthread_mutex_unlock(&b->mu);
    *out = s;
    return SB_OK;
}

sb_err events_sub_prepend(struct events_sub *s, const char *text, size_t len, int64_t through)
{
    sb_err err;

    pthread_mutex_lock(&s->mu);
    if (through > s->skip_through)
        s->skip_through = through;
    err = pre_append(s, text, len);
    if (!err)
        wake_locked(s);
    pthread_mutex_unlock(&s->mu);
    return err;
}

void events_sub_end_after_queue(struct events_sub *s)
{
    pthread_mutex_lock(&s->mu);
    s->end_when_drained = true;
    wake_locked(s);
    pthread_mutex_unlock(&s->mu);
}

static size_t copy_out(char *buf, size_t max, const char *src, size_t len, size_t *off)
{
    size_t n = len - *off < max ? len - *off : max;

    memcpy(buf, src + *off, n);
    *off += n;
    return n;
}

ssize_t events_sub_read(struct events_sub *s, char *buf, size_t max)
{
    static const char ping[] = ": ping\n\n";
    size_t n = 0;

    pthread_mutex_lock(&s->mu);
    if (s->closed) {
        pthread_mutex_unlock(&s->mu);
        return -1;
    }
    while (n < max) {
        if (s->pre_off < s->pre_len) {
            n += copy_out(buf + n, max - n, s->pre, s->pre_len, &s->pre_off);
            if (s->pre_off == s->pre_len) {
                /* Sent: an idle stream keeps no copy of its replay. */
                free(s->pre);
                s->pre = NULL;
                s->pre_len = s->pre_off = 0;
            }
        } else if (s->cur) {
            n += copy_out(buf + n, max - n, s->cur->text, s->cur->len, &s->cur_off);
            if (s->cur_off == s->cur->len) {
                event_unref(s->cur);
                s->cur = NULL;
            }
        } else if (s->count > 0 && s->qcap > 0) {
            struct event *e = s->queue[s->head];
            s->head = (s->head + 1) % s->qcap;
            s->count--;
            if (e->seq && e->seq <= s->skip_through) {
                event_unref(e);
                continue;
            }
            s->cur = e;
            s->cur_off = 0;
        } else {
            break;
        }
    }
    if (n == 0 && s->heartbeat_due && max >= sizeof(ping) - 1) {
        memcpy(buf, ping, sizeof(ping) - 1);
        n = sizeof(ping) - 1;
    }
    s->heartbeat_due = false;
    if (n > 0)
        s->sent = true;
    if (n == 0 && s->end_when_drained) {
        pthread_mutex_unlock(&s->mu);
        return -1;
    }
    if (n == 0) {
        s->paused = true;
        s->t.pause(s->t.conn);
    }
    pthread_mutex_unlock(&s->mu);
    return (ssize_t)n;
}

void events_unsubscribe(struct events_sub *s)
{
    struct events_bus *b;

    if (!s)
        return;
    b = s->bus;
    pthread_mutex_lock(&b->mu);
    if (s->prev)
        s->prev->next = s->next;
    else
        b->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
    b->n--;
    pthread_mutex_unlock(&b->mu);
    for (size_t i = 0; i < s->count; i++)
        event_unref(s->queue[(s->head + i) % s->qcap]);
    free(s->queue);
    event_unref(s->cur);
    free(s->pre);
    free(s->teams);
    pthread_mutex_destroy(&s->mu);
    free(s);
}
