/*
 * test_events_direct.c: unit tests for the bus's direct writes (src/events/bus.c): an event for
 * a paused subscriber goes straight to its transport's write(), whole, without a wake-up; what
 * did not fit, a gone client and a transport that cannot be written directly fall back to the
 * queue, read() and wake().
 *
 * A fake transport records what write() was given and answers with a scripted count.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "events/bus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TEAM_A "aaaaaaaa-0000-4000-8000-000000000001"
#define USER_1 "11111111-0000-4000-8000-000000000001"

struct conn {
    int pauses, wakes, writes;
    ssize_t answer; /* what write() returns (-3: all of it) */
    char out[4096]; /* what write() accepted */
    size_t out_len;
};

#define WRITE_ALL (-3)

static void conn_pause(void *arg)
{
    ((struct conn *)arg)->pauses++;
}

static void conn_wake(void *arg)
{
    ((struct conn *)arg)->wakes++;
}

static ssize_t conn_write(void *arg, const char *data, size_t len)
{
    struct conn *c = arg;
    ssize_t n = c->answer == WRITE_ALL ? (ssize_t)len : c->answer;

    c->writes++;
    if (n > 0) {
        assert_true(c->out_len + (size_t)n < sizeof(c->out));
        memcpy(c->out + c->out_len, data, (size_t)n);
        c->out_len += (size_t)n;
        c->out[c->out_len] = '\0';
    }
    return n;
}

struct fx {
    struct events_bus *bus;
    struct conn conn;
    struct events_sub *sub;
};

/* A subscriber to TEAM_A whose stream has sent its first bytes and is paused. */
static int fx_setup(void **state)
{
    struct fx *f = calloc(1, sizeof(*f));
    struct events_transport t = {conn_pause, conn_wake, NULL, conn_write};
    sb_id team = TEAM_A;
    char buf[64];

    if (!f || events_bus_new(&f->bus) != SB_OK) {
        free(f);
        return -1;
    }
    f->conn.answer = WRITE_ALL;
    t.conn = &f->conn;
    assert_int_equal(events_subscribe(f->bus, USER_1, false, &team, 1, 0, &t, &f->sub), SB_OK);
    assert_int_equal(events_sub_prepend(f->sub, "retry: 3000\n\n", 13, 0), SB_OK);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 13);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 0);
    assert_int_equal(f->conn.pauses, 1);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *f = *state;

    events_unsubscribe(f->sub);
    events_bus_free(f->bus);
    free(f);
    return 0;
}

/* What read() hands libmicrohttpd next, as a string (something must be there). */
static const char *read_text(struct events_sub *sub, char *buf, size_t size)
{
    ssize_t n = events_sub_read(sub, buf, size - 1);

    assert_true(n > 0);
    buf[n] = '\0';
    return buf;
}

static void publish(struct fx *f, int64_t seq, const char *data)
{
    events_publish(f->bus, seq, "message", TEAM_A, data);
}

static void test_paused_gets_whole_event_without_wake(void **state)
{
    struct fx *f = *state;
    char buf[256];

    publish(f, 1, "{\"a\":1}");
    publish(f, 2, "{\"b\":2}");
    assert_int_equal(f->conn.writes, 2);
    assert_int_equal(f->conn.wakes, 0);
    assert_string_equal(f->conn.out, "id: 1\nevent: message\ndata: {\"a\":1}\n\n"
                                     "id: 2\nevent: message\ndata: {\"b\":2}\n\n");
    /* Nothing is left for read(): it pauses again. */
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 0);
}

static void test_partial_write_rest_through_read(void **state)
{
    struct fx *f = *state;
    char buf[256];

    f->conn.answer = 5;
    publish(f, 1, "{\"a\":1}");
    assert_string_equal(f->conn.out, "id: 1");
    assert_int_equal(f->conn.wakes, 1);
    /* Not paused any more: the next event is queued behind the rest, not written. */
    publish(f, 2, "{\"b\":2}");
    assert_int_equal(f->conn.writes, 1);
    assert_string_equal(read_text(f->sub, buf, sizeof(buf)),
                        "\nevent: message\ndata: {\"a\":1}\n\n"
                        "id: 2\nevent: message\ndata: {\"b\":2}\n\n");
    /* Drained and paused: direct again. */
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 0);
    f->conn.answer = WRITE_ALL;
    publish(f, 3, "{}");
    assert_int_equal(f->conn.writes, 2);
    assert_int_equal(f->conn.wakes, 1);
}

static void test_full_socket_queues_and_wakes(void **state)
{
    struct fx *f = *state;
    char buf[256];

    f->conn.answer = 0;
    publish(f, 1, "{}");
    assert_int_equal(f->conn.wakes, 1);
    assert_string_equal(read_text(f->sub, buf, sizeof(buf)), "id: 1\nevent: message\ndata: {}\n\n");
}

static void test_gone_client_ends_stream(void **state)
{
    struct fx *f = *state;
    char buf[64];

    f->conn.answer = EVENTS_WRITE_GONE;
    publish(f, 1, "{}");
    assert_int_equal(f->conn.wakes, 1);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), -1);
}

static void test_no_direct_falls_back_for_good(void **state)
{
    struct fx *f = *state;
    char buf[256];

    f->conn.answer = EVENTS_WRITE_NONE;
    publish(f, 1, "{}");
    assert_int_equal(f->conn.writes, 1);
    assert_int_equal(f->conn.wakes, 1);
    assert_true(events_sub_read(f->sub, buf, sizeof(buf)) > 0);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 0);
    publish(f, 2, "{}");
    assert_int_equal(f->conn.writes, 1); /* not asked again */
    assert_int_equal(f->conn.wakes, 2);
}

static void test_replayed_event_skipped_while_paused(void **state)
{
    struct fx *f = *state;
    char buf[256];

    /* Replayed through seq 2 while paused: the prepend wakes the stream. */
    assert_int_equal(events_sub_prepend(f->sub, "id: 2\n\n", 7, 2), SB_OK);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 7);
    assert_int_equal(events_sub_read(f->sub, buf, sizeof(buf)), 0);
    publish(f, 2, "{}");
    assert_int_equal(f->conn.writes, 0);
    publish(f, 3, "{}");
    assert_string_equal(f->conn.out, "id: 3\nevent: message\ndata: {}\n\n");
}

/* Before read() has returned anything (the HTTP headers may not be out), never write. */
static void test_no_direct_before_first_bytes(void **state)
{
    struct events_bus *bus = NULL;
    struct events_sub *s = NULL;
    struct conn c = {.answer = WRITE_ALL};
    struct events_transport t = {conn_pause, conn_wake, &c, conn_write};
    sb_id team = TEAM_A;
    char buf[256];

    (void)state;
    assert_int_equal(events_bus_new(&bus), SB_OK);
    assert_int_equal(events_subscribe(bus, USER_1, false, &team, 1, 0, &t, &s), SB_OK);
    assert_int_equal(events_sub_read(s, buf, sizeof(buf)), 0);
    events_publish(bus, 1, "message", TEAM_A, "{}");
    assert_int_equal(c.writes, 0);
    assert_int_equal(c.wakes, 1);
    assert_true(events_sub_read(s, buf, sizeof(buf)) > 0);
    events_unsubscribe(s);
    events_bus_free(bus);
}

/* Many subscribers: each gets every event, once, in order; the ones that cannot be written
 * directly are woken instead. */
static void test_large_fanout(void **state)
{
    enum { N = 150 };
    struct events_bus *bus = NULL;
    struct events_sub *subs[N];
    struct conn *conns = calloc(N, sizeof(*conns));
    sb_id team = TEAM_A;
    char buf[256], want[256];

    (void)state;
    assert_non_null(conns);
    assert_int_equal(events_bus_new(&bus), SB_OK);
    for (int i = 0; i < N; i++) {
        struct events_transport t = {conn_pause, conn_wake, &conns[i], conn_write};

        conns[i].answer = i % 7 == 3 ? EVENTS_WRITE_NONE : WRITE_ALL;
        assert_int_equal(events_subscribe(bus, USER_1, false, &team, 1, 0, &t, &subs[i]), SB_OK);
        assert_int_equal(events_sub_prepend(subs[i], "retry: 3000\n\n", 13, 0), SB_OK);
        assert_int_equal(events_sub_read(subs[i], buf, sizeof(buf)), 13);
        assert_int_equal(events_sub_read(subs[i], buf, sizeof(buf)), 0);
    }
    for (int64_t seq = 1; seq <= 3; seq++)
        events_publish(bus, seq, "message", TEAM_A, "{}");
    snprintf(want, sizeof(want), "%s%s%s", "id: 1\nevent: message\ndata: {}\n\n",
             "id: 2\nevent: message\ndata: {}\n\n", "id: 3\nevent: message\ndata: {}\n\n");
    for (int i = 0; i < N; i++) {
        if (conns[i].answer == EVENTS_WRITE_NONE) {
            assert_string_equal(read_text(subs[i], buf, sizeof(buf)), want);
            assert_int_equal(conns[i].wakes, 1);
        } else {
            assert_string_equal(conns[i].out, want);
            assert_int_equal(conns[i].wakes, 0);
        }
        events_unsubscribe(subs[i]);
    }
    events_bus_free(bus);
    free(conns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_paused_gets_whole_event_without_wake, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_partial_write_rest_through_read, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_full_socket_queues_and_wakes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_gone_client_ends_stream, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_no_direct_falls_back_for_good, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_replayed_event_skipped_while_paused, fx_setup,
                                        fx_teardown),
        cmocka_unit_test(test_no_direct_before_first_bytes),
        cmocka_unit_test(test_large_fanout),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
