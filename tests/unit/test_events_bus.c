/*
 * test_events_bus.c: unit tests for src/events/bus (live events for SSE subscribers).
 *
 * A fake transport stands in for the HTTP connection: it counts pause() and wake() calls and,
 * for the threaded test, lets a reader thread sleep until woken. Every test runs well inside
 * one heartbeat interval (15 s), so no ": ping" comment can appear except in the threaded
 * test, which tolerates them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "events/bus.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEAM_A "aaaaaaaa-0000-4000-8000-000000000001"
#define TEAM_B "bbbbbbbb-0000-4000-8000-000000000002"
#define TEAM_C "cccccccc-0000-4000-8000-000000000003"
#define USER_1 "11111111-0000-4000-8000-000000000001"
#define USER_2 "22222222-0000-4000-8000-000000000002"

/* ---- fake transport ---- */

struct conn {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int pauses;
    int wakes;
    bool woken; /* a wake() since the last pause() */
};

static void conn_pause(void *arg)
{
    struct conn *c = arg;

    pthread_mutex_lock(&c->mu);
    c->pauses++;
    c->woken = false;
    pthread_mutex_unlock(&c->mu);
}

static void conn_wake(void *arg)
{
    struct conn *c = arg;

    pthread_mutex_lock(&c->mu);
    c->wakes++;
    c->woken = true;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
}

static void conn_init(struct conn *c)
{
    memset(c, 0, sizeof(*c));
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
}

static void conn_destroy(struct conn *c)
{
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
}

static int conn_pauses(struct conn *c)
{
    int n;

    pthread_mutex_lock(&c->mu);
    n = c->pauses;
    pthread_mutex_unlock(&c->mu);
    return n;
}

static int conn_wakes(struct conn *c)
{
    int n;

    pthread_mutex_lock(&c->mu);
    n = c->wakes;
    pthread_mutex_unlock(&c->mu);
    return n;
}

/* Blocks until a wake() follows the last pause(). */
static void conn_wait(struct conn *c)
{
    pthread_mutex_lock(&c->mu);
    while (!c->woken)
        pthread_cond_wait(&c->cv, &c->mu);
    pthread_mutex_unlock(&c->mu);
}

/* ---- fixture: a bus and up to three subscribers' connections ---- */

struct fx {
    struct events_bus *bus;
    struct conn conn[3];
    struct events_transport t[3];
};

static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));

    if (!f || events_bus_new(&f->bus) != SB_OK) {
        free(f);
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        conn_init(&f->conn[i]);
        f->t[i].pause = conn_pause;
        f->t[i].wake = conn_wake;
        f->t[i].conn = &f->conn[i];
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    if (!f)
        return 0;
    /* every test unsubscribes what it subscribed */
    assert_int_equal(events_bus_subscribers(f->bus), 0);
    events_bus_free(f->bus);
    for (int i = 0; i < 3; i++)
        conn_destroy(&f->conn[i]);
    free(f);
    return 0;
}

/* ---- helpers ---- */

static struct events_sub *sub(struct fx *f, int conn, const char *user, bool all,
                              const char *const *teams, size_t n, int64_t after)
{
    sb_id ids[8];
    struct events_sub *s = NULL;

    assert_true(n <= 8);
    for (size_t i = 0; i < n; i++)
        snprintf(ids[i], sizeof(sb_id), "%s", teams[i]);
    assert_int_equal(events_subscribe(f->bus, user, all, ids, n, after, &f->t[conn], &s), SB_OK);
    assert_non_null(s);
    return s;
}

static struct events_sub *sub_team(struct fx *f, int conn, const char *user, const char *team)
{
    const char *teams[1] = {team};

    return sub(f, conn, user, false, teams, 1, 0);
}

/* The exact text of one event. */
static void event_text(int64_t seq, const char *data, char *out, size_t cap)
{
    snprintf(out, cap, "id: %lld\nevent: message\ndata: %s\n\n", (long long)seq, data);
}

static void publish(struct fx *f, int64_t seq, const char *team, const char *data)
{
    events_publish(f->bus, seq, "message", team, data);
}

/* Reads everything pending (until a read returns 0, which pauses) into out. */
static size_t read_all(struct events_sub *s, char *out, size_t cap, size_t chunk)
{
    size_t len = 0;

    for (;;) {
        ssize_t n;
        assert_true(len + chunk <= cap);
        n = events_sub_read(s, out + len, chunk);
        assert_true(n >= 0);
        assert_true((size_t)n <= chunk);
        if (n == 0)
            break;
        len += (size_t)n;
    }
    out[len] = '\0';
    return len;
}

static void expect_read(struct events_sub *s, const char *want)
{
    char buf[8192];

    read_all(s, buf, sizeof(buf) - 1, 4096);
    assert_string_equal(buf, want);
}

/* ---- tests ---- */

static void test_subscriber_sees_only_its_teams(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char want[256];

    assert_int_equal(events_bus_subscribers(f->bus), 1);
    publish(f, 1, TEAM_A, "{\"n\":1}");
    publish(f, 2, TEAM_B, "{\"n\":2}");
    publish(f, 3, TEAM_A, "{\"text\":\"h\\u00e9llo\"}");
    snprintf(want, sizeof(want),
             "id: 1\nevent: message\ndata: {\"n\":1}\n\n"
             "id: 3\nevent: message\ndata: {\"text\":\"h\\u00e9llo\"}\n\n");
    expect_read(s, want);
    events_unsubscribe(s);
    assert_int_equal(events_bus_subscribers(f->bus), 0);
}

static void test_event_type_in_text(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);

    events_publish(f->bus, 42, "deleted", TEAM_A, "{}");
    expect_read(s, "id: 42\nevent: deleted\ndata: {}\n\n");
    events_unsubscribe(s);
}

static void test_read_nothing_pauses(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char buf[64];

    assert_int_equal(conn_pauses(&f->conn[0]), 0);
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    assert_int_equal(conn_pauses(&f->conn[0]), 1);
    assert_int_equal(conn_wakes(&f->conn[0]), 0);
    /* an event for another team does not wake it */
    publish(f, 1, TEAM_B, "{}");
    assert_int_equal(conn_wakes(&f->conn[0]), 0);
    events_unsubscribe(s);
}

static void test_publish_after_pause_wakes_once(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char buf[256], want[256];
    size_t len = 0;

    /* not paused yet: publishing does not call wake() */
    publish(f, 1, TEAM_A, "{\"n\":1}");
    assert_int_equal(conn_wakes(&f->conn[0]), 0);
    expect_read(s, "id: 1\nevent: message\ndata: {\"n\":1}\n\n");
    assert_int_equal(conn_pauses(&f->conn[0]), 1);

    /* paused: the first event wakes, the next ones do not wake again */
    publish(f, 2, TEAM_A, "{\"n\":2}");
    assert_int_equal(conn_wakes(&f->conn[0]), 1);
    publish(f, 3, TEAM_A, "{\"n\":3}");
    publish(f, 4, TEAM_A, "{\"n\":4}");
    assert_int_equal(conn_wakes(&f->conn[0]), 1);

    len = read_all(s, buf, sizeof(buf) - 1, 100);
    event_text(2, "{\"n\":2}", want, sizeof(want));
    event_text(3, "{\"n\":3}", want + strlen(want), sizeof(want) - strlen(want));
    event_text(4, "{\"n\":4}", want + strlen(want), sizeof(want) - strlen(want));
    assert_int_equal(len, strlen(want));
    assert_string_equal(buf, want);
    assert_int_equal(conn_pauses(&f->conn[0]), 2);

    /* paused again: wakes again */
    publish(f, 5, TEAM_A, "{\"n\":5}");
    assert_int_equal(conn_wakes(&f->conn[0]), 2);
    events_unsubscribe(s);
}

static void test_small_reads_reassemble(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    const size_t chunks[] = {1, 2, 7, 13, 64, 1000};
    static const char pad[] = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    char want[8192], got[8192];

    for (size_t c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        size_t wl, len;

        /* a replayed block first, so that the seam between it and live text is crossed too */
        snprintf(want, sizeof(want), ": replay %zu\n\n", c);
        assert_int_equal(events_sub_prepend(s, want, strlen(want), 0), SB_OK);
        wl = strlen(want);
        for (int i = 1; i <= 20; i++) {
            char data[128];
            int64_t seq = (int64_t)c * 100 + i;
            snprintf(data, sizeof(data), "{\"n\":%d,\"pad\":\"%.*s\"}", i, i * 3, pad);
            publish(f, seq, TEAM_A, data);
            event_text(seq, data, want + wl, sizeof(want) - wl);
            wl += strlen(want + wl);
        }
        len = read_all(s, got, sizeof(got) - 1, chunks[c]);
        assert_int_equal(len, wl);
        assert_memory_equal(got, want, wl);
    }
    events_unsubscribe(s);
}

static void test_seven_byte_reads(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char got[1024];
    size_t len = 0;
    ssize_t n;
    const char *want = "id: 7\nevent: message\ndata: {\"a\":\"bcdefghij\"}\n\n"
                       "id: 8\nevent: message\ndata: {}\n\n";

    publish(f, 7, TEAM_A, "{\"a\":\"bcdefghij\"}");
    publish(f, 8, TEAM_A, "{}");
    while ((n = events_sub_read(s, got + len, 7)) > 0) {
        /* every read but the last is full */
        assert_true(n == 7 || len + (size_t)n == strlen(want));
        len += (size_t)n;
    }
    assert_int_equal(n, 0);
    got[len] = '\0';
    assert_string_equal(got, want);
    events_unsubscribe(s);
}

static void test_all_teams_sees_everything(void **state)
{
    struct fx *f = *state;
    struct events_sub *admin = sub(f, 0, USER_1, true, NULL, 0, 0);
    struct events_sub *a = sub_team(f, 1, USER_2, TEAM_A);

    publish(f, 1, TEAM_A, "1");
    publish(f, 2, TEAM_B, "2");
    publish(f, 3, TEAM_C, "3");
    expect_read(admin, "id: 1\nevent: message\ndata: 1\n\n"
                       "id: 2\nevent: message\ndata: 2\n\n"
                       "id: 3\nevent: message\ndata: 3\n\n");
    expect_read(a, "id: 1\nevent: message\ndata: 1\n\n");
    events_unsubscribe(admin);
    events_unsubscribe(a);
}

static void test_several_teams(void **state)
{
    struct fx *f = *state;
    const char *teams[2] = {TEAM_A, TEAM_C};
    struct events_sub *s = sub(f, 0, USER_1, false, teams, 2, 0);

    publish(f, 1, TEAM_A, "1");
    publish(f, 2, TEAM_B, "2");
    publish(f, 3, TEAM_C, "3");
    expect_read(s, "id: 1\nevent: message\ndata: 1\n\n"
                   "id: 3\nevent: message\ndata: 3\n\n");
    events_unsubscribe(s);
}

static void test_after_seq_filters(void **state)
{
    struct fx *f = *state;
    const char *teams[1] = {TEAM_A};
    struct events_sub *s = sub(f, 0, USER_1, false, teams, 1, 10);
    char buf[64];

    publish(f, 9, TEAM_A, "9");
    publish(f, 10, TEAM_A, "10");
    /* nothing queued and no wake for filtered events */
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    publish(f, 10, TEAM_A, "10");
    assert_int_equal(conn_wakes(&f->conn[0]), 0);
    publish(f, 11, TEAM_A, "11");
    assert_int_equal(conn_wakes(&f->conn[0]), 1);
    publish(f, 12, TEAM_A, "12");
    expect_read(s, "id: 11\nevent: message\ndata: 11\n\n"
                   "id: 12\nevent: message\ndata: 12\n\n");
    events_unsubscribe(s);
}

static void test_prepend_first_and_skips_replayed(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    const char *replay = "id: 4\nevent: message\ndata: r4\n\n"
                         "id: 5\nevent: message\ndata: r5\n\n";

    /* live events race with the replay: 5 arrives live too, 6 is new */
    publish(f, 5, TEAM_A, "live5");
    publish(f, 6, TEAM_A, "live6");
    assert_int_equal(events_sub_prepend(s, replay, strlen(replay), 5), SB_OK);
    publish(f, 4, TEAM_A, "live4");
    publish(f, 7, TEAM_A, "live7");
    expect_read(s, "id: 4\nevent: message\ndata: r4\n\n"
                   "id: 5\nevent: message\ndata: r5\n\n"
                   "id: 6\nevent: message\ndata: live6\n\n"
                   "id: 7\nevent: message\ndata: live7\n\n");
    events_unsubscribe(s);
}

static void test_prepend_twice_and_wakes(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char buf[64];

    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    assert_int_equal(events_sub_prepend(s, "AB", 2, 3), SB_OK);
    assert_int_equal(conn_wakes(&f->conn[0]), 1);
    /* a second block appends to the first; a lower `through` does not lower the skip mark */
    assert_int_equal(events_sub_prepend(s, "CD", 2, 1), SB_OK);
    assert_int_equal(events_sub_prepend(s, "", 0, 0), SB_OK);
    publish(f, 2, TEAM_A, "skipped");
    publish(f, 3, TEAM_A, "skipped");
    publish(f, 4, TEAM_A, "x");
    expect_read(s, "ABCDid: 4\nevent: message\ndata: x\n\n");
    events_unsubscribe(s);
}

static void test_membership_changes(void **state)
{
    struct fx *f = *state;
    struct events_sub *s1 = sub(f, 0, USER_1, false, NULL, 0, 0);
    struct events_sub *s2 = sub(f, 1, USER_2, false, NULL, 0, 0);
    struct events_sub *s1b = sub_team(f, 2, USER_1, TEAM_B); /* a second stream of USER_1 */
    char buf[64];

    assert_int_equal(events_bus_subscribers(f->bus), 3);
    publish(f, 1, TEAM_A, "1");
    assert_int_equal(events_sub_read(s1, buf, sizeof(buf)), 0);
    assert_int_equal(events_sub_read(s2, buf, sizeof(buf)), 0);
    assert_int_equal(events_sub_read(s1b, buf, sizeof(buf)), 0);

    /* USER_1 joins A: both of USER_1's streams see A from now on, USER_2's does not */
    events_membership(f->bus, USER_1, TEAM_A, true);
    publish(f, 2, TEAM_A, "2");
    expect_read(s1, "id: 2\nevent: message\ndata: 2\n\n");
    expect_read(s1b, "id: 2\nevent: message\ndata: 2\n\n");
    expect_read(s2, "");

    /* adding twice is harmless; removing once removes */
    events_membership(f->bus, USER_1, TEAM_A, true);
    events_membership(f->bus, USER_1, TEAM_A, false);
    publish(f, 3, TEAM_A, "3");
    publish(f, 4, TEAM_B, "4");
    expect_read(s1, "");
    expect_read(s1b, "id: 4\nevent: message\ndata: 4\n\n");

    /* removing USER_1 from B leaves USER_2's (future) B membership alone */
    events_membership(f->bus, USER_2, TEAM_B, true);
    events_membership(f->bus, USER_1, TEAM_B, false);
    publish(f, 5, TEAM_B, "5");
    expect_read(s1b, "");
    expect_read(s2, "id: 5\nevent: message\ndata: 5\n\n");

    /* removing a team one is not in, or for an unknown user, changes nothing */
    events_membership(f->bus, USER_2, TEAM_C, false);
    events_membership(f->bus, "99999999-0000-4000-8000-000000000009", TEAM_B, false);
    publish(f, 6, TEAM_B, "6");
    expect_read(s2, "id: 6\nevent: message\ndata: 6\n\n");

    events_unsubscribe(s1);
    events_unsubscribe(s2);
    events_unsubscribe(s1b);
}

static void test_membership_many_teams(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub(f, 0, USER_1, false, NULL, 0, 0);
    char team[40], want[64];

    /* grows the team set past its first allocation */
    for (int i = 0; i < 40; i++) {
        snprintf(team, sizeof(team), "00000000-0000-4000-8000-%012d", i);
        events_membership(f->bus, USER_1, team, true);
    }
    for (int i = 0; i < 40; i += 2) {
        snprintf(team, sizeof(team), "00000000-0000-4000-8000-%012d", i);
        events_membership(f->bus, USER_1, team, false);
    }
    for (int i = 0; i < 40; i++) {
        snprintf(team, sizeof(team), "00000000-0000-4000-8000-%012d", i);
        publish(f, i + 1, team, "x");
    }
    for (int i = 1; i < 40; i += 2) {
        char buf[64];
        event_text(i + 1, "x", want, sizeof(want));
        assert_int_equal(events_sub_read(s, buf, strlen(want)), (ssize_t)strlen(want));
        assert_memory_equal(buf, want, strlen(want));
    }
    expect_read(s, "");
    events_unsubscribe(s);
}

static void test_queue_overflow_closes(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    struct events_sub *other = sub_team(f, 1, USER_2, TEAM_B);
    char buf[64];

    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    for (int i = 1; i <= EVENTS_QUEUE_MAX; i++)
        publish(f, i, TEAM_A, "{}");
    /* exactly full is still open: read one event's worth */
    assert_true(events_sub_read(s, buf, 1) == 1);
    /* the read took one from the queue, which now holds MAX-1; two more overflow it */
    publish(f, EVENTS_QUEUE_MAX + 1, TEAM_A, "{}");
    publish(f, EVENTS_QUEUE_MAX + 2, TEAM_A, "{}");
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), -1);
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), -1);
    /* the other subscriber is unaffected */
    publish(f, EVENTS_QUEUE_MAX + 3, TEAM_B, "{}");
    assert_true(events_sub_read(other, buf, sizeof(buf)) > 0);
    events_unsubscribe(s);
    events_unsubscribe(other);
}

static void test_queue_overflow_exact(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    char buf[64];

    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    for (int i = 1; i <= EVENTS_QUEUE_MAX + 1; i++)
        publish(f, i, TEAM_A, "{}");
    /* the closing publish woke the paused reader so that it can see the end */
    assert_int_equal(conn_wakes(&f->conn[0]), 1);
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), -1);
    /* later events are not queued on a closed stream (unsubscribe frees the queue) */
    publish(f, EVENTS_QUEUE_MAX + 2, TEAM_A, "{}");
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), -1);
    events_unsubscribe(s);
}

static void test_queue_max_without_reading_is_delivered(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    static char got[EVENTS_QUEUE_MAX * 64];
    char want[64];
    size_t len, off = 0;

    for (int i = 1; i <= EVENTS_QUEUE_MAX; i++)
        publish(f, i, TEAM_A, "{}");
    len = read_all(s, got, sizeof(got) - 1, 1000);
    for (int i = 1; i <= EVENTS_QUEUE_MAX; i++) {
        event_text(i, "{}", want, sizeof(want));
        assert_true(off + strlen(want) <= len);
        assert_memory_equal(got + off, want, strlen(want));
        off += strlen(want);
    }
    assert_int_equal(off, len);
    events_unsubscribe(s);
}

static void test_shutdown_ends_streams(void **state)
{
    struct fx *f = *state;
    struct events_sub *paused = sub_team(f, 0, USER_1, TEAM_A);
    struct events_sub *busy = sub_team(f, 1, USER_2, TEAM_A);
    struct events_sub *late;
    char buf[64];

    assert_int_equal(events_sub_read(paused, buf, sizeof(buf)), 0);
    publish(f, 1, TEAM_A, "{}"); /* busy has something queued and is not paused */
    assert_int_equal(conn_wakes(&f->conn[0]), 1);
    assert_int_equal(events_sub_read(paused, buf, sizeof(buf)),
                     (ssize_t)strlen("id: 1\nevent: message\ndata: {}\n\n"));
    assert_int_equal(events_sub_read(paused, buf, sizeof(buf)), 0);

    events_bus_shutdown(f->bus);
    assert_int_equal(conn_wakes(&f->conn[0]), 2); /* the paused one was woken */
    assert_int_equal(conn_wakes(&f->conn[1]), 0); /* the other was not paused */
    assert_int_equal(events_sub_read(paused, buf, sizeof(buf)), -1);
    assert_int_equal(events_sub_read(busy, buf, sizeof(buf)), -1);
    /* publishing after shutdown delivers nothing, and a new subscriber ends at once */
    publish(f, 2, TEAM_A, "{}");
    late = sub_team(f, 2, USER_1, TEAM_A);
    assert_int_equal(events_sub_read(late, buf, sizeof(buf)), -1);
    assert_int_equal(conn_pauses(&f->conn[2]), 0);
    /* shutting down twice is harmless */
    events_bus_shutdown(f->bus);
    events_unsubscribe(paused);
    events_unsubscribe(busy);
    events_unsubscribe(late);
}

static void test_end_after_queue(void **state)
{
    struct fx *f = *state;
    struct events_sub *s = sub_team(f, 0, USER_1, TEAM_A);
    struct events_sub *idle = sub_team(f, 1, USER_2, TEAM_A);
    char buf[256];

    assert_int_equal(events_sub_prepend(s, "R\n\n", 3, 0), SB_OK);
    publish(f, 1, TEAM_A, "1");
    publish(f, 2, TEAM_A, "2");
    events_sub_end_after_queue(s);
    /* what was queued is still sent, in small pieces too */
    assert_int_equal(events_sub_read(s, buf, 3), 3);
    assert_memory_equal(buf, "R\n\n", 3);
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)),
                     (ssize_t)strlen("id: 1\nevent: message\ndata: 1\n\n"
                                     "id: 2\nevent: message\ndata: 2\n\n"));
    /* then the stream ends instead of pausing */
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), -1);
    assert_int_equal(conn_pauses(&f->conn[0]), 0);

    /* a paused, empty stream is woken and ends */
    assert_int_equal(events_sub_read(idle, buf, sizeof(buf)),
                     (ssize_t)strlen("id: 1\nevent: message\ndata: 1\n\n"
                                     "id: 2\nevent: message\ndata: 2\n\n"));
    assert_int_equal(events_sub_read(idle, buf, sizeof(buf)), 0);
    events_sub_end_after_queue(idle);
    assert_int_equal(conn_wakes(&f->conn[1]), 1);
    assert_int_equal(events_sub_read(idle, buf, sizeof(buf)), -1);
    events_unsubscribe(s);
    events_unsubscribe(idle);
}

static void test_unsubscribe_with_pending(void **state)
{
    struct fx *f = *state;
    struct events_sub *a = sub_team(f, 0, USER_1, TEAM_A);
    struct events_sub *b = sub_team(f, 1, USER_2, TEAM_A);
    struct events_sub *c = sub(f, 2, USER_2, true, NULL, 0, 0);
    char buf[8];

    /* a: a partly written event, queued events and prepended text; b: queued; c: closed */
    assert_int_equal(events_sub_prepend(a, "pre", 3, 0), SB_OK);
    for (int i = 1; i <= 10; i++)
        publish(f, i, TEAM_A, "{\"shared\":true}");
    assert_int_equal(events_sub_read(a, buf, sizeof(buf)), (ssize_t)sizeof(buf));
    for (int i = 11; i <= EVENTS_QUEUE_MAX + 20; i++)
        publish(f, i, TEAM_B, "{}");
    assert_int_equal(events_sub_read(c, buf, sizeof(buf)), -1);
    /* unsubscribing in an order other than subscription exercises the list unlinking */
    events_unsubscribe(b);
    assert_int_equal(events_bus_subscribers(f->bus), 2);
    events_unsubscribe(a);
    events_unsubscribe(c);
    events_unsubscribe(NULL);
    assert_int_equal(events_bus_subscribers(f->bus), 0);
}

static void test_bus_lifecycle(void **state)
{
    struct events_bus *b = NULL;

    (void)state;
    for (int i = 0; i < 20; i++) {
        assert_int_equal(events_bus_new(&b), SB_OK);
        assert_int_equal(events_bus_subscribers(b), 0);
        events_publish(b, 1, "message", TEAM_A, "{}");
        events_membership(b, USER_1, TEAM_A, true);
        events_bus_free(b);
    }
    events_bus_free(NULL);
    events_bus_shutdown(NULL);
}

/* ---- concurrency: 4 publishers, one reader thread ---- */

#define PUBLISHERS 4
#define PER_PUBLISHER 1000
#define IN_FLIGHT_MAX 256 /* well below EVENTS_QUEUE_MAX: the reader can fall behind safely */

struct race {
    struct events_bus *bus;
    struct events_sub *s;
    struct conn conn;
    atomic_llong seq;
    /* flow control: events published and not yet parsed by the reader */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int in_flight;
    /* reader's findings */
    int next[PUBLISHERS]; /* the next index expected from each publisher */
    int received;
    int bad; /* out of order, duplicated, malformed, or of another team */
    int64_t last_seq[PUBLISHERS];
    bool ended;
};

struct pub_arg {
    struct race *r;
    int id;
};

static void *publisher_main(void *arg)
{
    struct pub_arg *p = arg;
    struct race *r = p->r;
    char data[64];

    for (int i = 0; i < PER_PUBLISHER; i++) {
        int64_t seq;
        pthread_mutex_lock(&r->mu);
        while (r->in_flight >= IN_FLIGHT_MAX)
            pthread_cond_wait(&r->cv, &r->mu);
        r->in_flight++;
        pthread_mutex_unlock(&r->mu);
        snprintf(data, sizeof(data), "{\"p\":%d,\"i\":%d}", p->id, i);
        /* events of another team interleave and must never show up */
        if (i % 10 == 0)
            events_publish(r->bus, atomic_fetch_add(&r->seq, 1) + 1, "message", TEAM_B, "{}");
        /* the seq is taken under a per-publisher order, so each publisher's seqs increase */
        seq = atomic_fetch_add(&r->seq, 1) + 1;
        events_publish(r->bus, seq, "message", TEAM_A, data);
    }
    return NULL;
}

/* Parses one complete event or comment (without its blank line). */
static void reader_event(struct race *r, const char *ev)
{
    long long seq;
    int p, i, used = 0;

    if (strcmp(ev, ": ping") == 0)
        return; /* a heartbeat under a slow sanitizer run */
    if (sscanf(ev, "id: %lld\nevent: message\ndata: {\"p\":%d,\"i\":%d}%n", &seq, &p, &i, &used) !=
            3 ||
        ev[used] != '\0' || p < 0 || p >= PUBLISHERS) {
        r->bad++;
        return;
    }
    if (i != r->next[p] || seq <= r->last_seq[p])
        r->bad++;
    r->next[p] = i + 1;
    r->last_seq[p] = seq;
    r->received++;
    pthread_mutex_lock(&r->mu);
    r->in_flight--;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
}

static void *reader_main(void *arg)
{
    struct race *r = arg;
    char acc[4096], buf[97]; /* an odd read size, so events straddle reads */
    size_t len = 0;

    for (;;) {
        ssize_t n = events_sub_read(r->s, buf, sizeof(buf));
        char *end;

        if (n < 0)
            break;
        if (n == 0) {
            conn_wait(&r->conn);
            continue;
        }
        if (len + (size_t)n >= sizeof(acc)) {
            r->bad++;
            break;
        }
        memcpy(acc + len, buf, (size_t)n);
        len += (size_t)n;
        acc[len] = '\0';
        while ((end = strstr(acc, "\n\n")) != NULL) {
            size_t used = (size_t)(end - acc) + 2;
            *end = '\0';
            reader_event(r, acc);
            memmove(acc, acc + used, len - used + 1);
            len -= used;
        }
    }
    if (len != 0)
        r->bad++; /* a partial event left over */
    r->ended = true;
    return NULL;
}

static void test_concurrent_publishers_one_reader(void **state)
{
    struct fx *f = *state;
    static struct race r;
    struct pub_arg args[PUBLISHERS];
    pthread_t pubs[PUBLISHERS], reader;
    struct events_transport t;

    memset(&r, 0, sizeof(r));
    r.bus = f->bus;
    conn_init(&r.conn);
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    atomic_init(&r.seq, 0);
    t.pause = conn_pause;
    t.wake = conn_wake;
    t.conn = &r.conn;
    t.write = NULL;
    {
        sb_id teams[1];
        snprintf(teams[0], sizeof(sb_id), "%s", TEAM_A);
        assert_int_equal(events_subscribe(f->bus, USER_1, false, teams, 1, 0, &t, &r.s), SB_OK);
    }
    assert_int_equal(pthread_create(&reader, NULL, reader_main, &r), 0);
    for (int i = 0; i < PUBLISHERS; i++) {
        args[i].r = &r;
        args[i].id = i;
        assert_int_equal(pthread_create(&pubs[i], NULL, publisher_main, &args[i]), 0);
    }
    for (int i = 0; i < PUBLISHERS; i++)
        pthread_join(pubs[i], NULL);
    /* everything is queued now: the stream ends once the reader has drained it */
    events_sub_end_after_queue(r.s);
    pthread_join(reader, NULL);

    assert_true(r.ended);
    assert_int_equal(r.bad, 0);
    assert_int_equal(r.received, PUBLISHERS * PER_PUBLISHER);
    for (int i = 0; i < PUBLISHERS; i++)
        assert_int_equal(r.next[i], PER_PUBLISHER);
    events_unsubscribe(r.s);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    conn_destroy(&r.conn);
}

/* Many subscribers come and go while events are published: no lost wake, no use after free. */
struct churn {
    struct events_bus *bus;
    atomic_bool stop;
    atomic_int subscribed;
};

static void *churn_main(void *arg)
{
    struct churn *c = arg;
    struct conn conn;
    struct events_transport t = {conn_pause, conn_wake, &conn, NULL};
    char buf[128];

    conn_init(&conn);
    while (!atomic_load(&c->stop)) {
        struct events_sub *s = NULL;
        sb_id teams[1];
        snprintf(teams[0], sizeof(sb_id), "%s", TEAM_A);
        if (events_subscribe(c->bus, USER_2, false, teams, 1, 0, &t, &s) != SB_OK)
            break;
        atomic_fetch_add(&c->subscribed, 1);
        for (int i = 0; i < 3; i++)
            if (events_sub_read(s, buf, sizeof(buf)) < 0)
                break;
        events_unsubscribe(s);
    }
    conn_destroy(&conn);
    return NULL;
}

static void test_concurrent_subscribe_unsubscribe(void **state)
{
    struct fx *f = *state;
    struct churn c;
    pthread_t th[3];

    c.bus = f->bus;
    atomic_init(&c.stop, false);
    atomic_init(&c.subscribed, 0);
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&th[i], NULL, churn_main, &c), 0);
    /* at least 5000 events, and on until the subscribers have come and gone many times */
    for (int i = 0; i < 5000 || atomic_load(&c.subscribed) < 500; i++) {
        events_publish(f->bus, i + 1, "message", TEAM_A, "{\"x\":1}");
        if (i % 100 == 0)
            events_membership(f->bus, USER_2, TEAM_B, i % 200 == 0);
    }
    atomic_store(&c.stop, true);
    for (int i = 0; i < 3; i++)
        pthread_join(th[i], NULL);
    assert_true(atomic_load(&c.subscribed) >= 500);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_subscriber_sees_only_its_teams, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_event_type_in_text, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_read_nothing_pauses, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_publish_after_pause_wakes_once, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_small_reads_reassemble, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_seven_byte_reads, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_all_teams_sees_everything, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_several_teams, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_after_seq_filters, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_prepend_first_and_skips_replayed, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_prepend_twice_and_wakes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_membership_changes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_membership_many_teams, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_queue_overflow_closes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_queue_overflow_exact, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_queue_max_without_reading_is_delivered, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_shutdown_ends_streams, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_end_after_queue, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_unsubscribe_with_pending, fx_setup, fx_teardown),
        cmocka_unit_test(test_bus_lifecycle),
        cmocka_unit_test_setup_teardown(test_concurrent_publishers_one_reader, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_subscribe_unsubscribe, fx_setup,
                                        fx_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
