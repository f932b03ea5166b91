/*
 * test_message_search.c: the search text of a message (store_message_search_text: HTML by the
 * text it shows, cards' text, no links), the start-up backfill that indexes messages stored
 * before the index existed (migration 014), reindexing a replaced card, and bounded totals, on
 * SQLite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"
#include "store/internal.h"
#include "store/message_search.h"
#include "store/messages.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CARD                                                                                       \
    "[{\"id\":\"a\",\"contentType\":\"application/vnd.microsoft.teams.card.o365connector\","       \
    "\"content\":\"{\\\"title\\\":\\\"Disk full\\\",\\\"sections\\\":[{\\\"facts\\\":[{"           \
    "\\\"name\\\":\\\"host\\\",\\\"value\\\":\\\"db7\\\"}]}],\\\"potentialAction\\\":[{"           \
    "\\\"targets\\\":[{\\\"uri\\\":\\\"https://x.example/\\\"}],\\\"name\\\":\\\"Open\\\"}]}\"}]"

static void expect_text(const char *type, const char *body, const char *attachments,
                        const char *want)
{
    struct sb_message m = {0};
    char *text = NULL;

    snprintf(m.body_type, sizeof(m.body_type), "%s", type);
    m.body = (char *)body;
    m.attachments = (char *)attachments;
    assert_int_equal(store_message_search_text(&m, &text), SB_OK);
    assert_string_equal(text, want);
    free(text);
}

static void test_search_text(void **state)
{
    (void)state;
    expect_text("text", "plain <b>kept</b>", NULL, "plain <b>kept</b>");
    expect_text("html", "<p>a <strong>b</strong>&amp;c</p><p>d&nbsp;e</p><br>", NULL, "a b&c d e");
    expect_text("html", "<div>unclosed <", NULL, "unclosed");
    expect_text("text", "", CARD, "Disk full\nhost\ndb7\nOpen");
    expect_text("text", "", "not json", "");
    expect_text("text", "",
                "[{\"content\":{\"body\":[{\"type\":\"TextBlock\",\"text\":\"tb\"},"
                "{\"type\":\"Image\",\"url\":\"https://i.example/x.png\","
                "\"altText\":\"chart\"}]}}]",
                "tb\nchart");
}

struct fx {
    char dir[64];
    char url[128];
    struct store *st;
};

static sb_err exec_fn(struct db *d, void *arg)
{
    const char *const *sql = arg;
    sb_err err = SB_OK;

    for (; !err && *sql; sql++) {
        struct db_stmt *s = NULL;
        bool row = false;

        if (!(err = db_query_text(d, *sql, &s, DB_NO_ARGS)))
            err = db_step(d, s, &row);
        db_done(d, s);
    }
    return err;
}

static int open_store(struct fx *f)
{
    struct sb_diag diag = {{0}, {0}};
    struct store_opts opts = {f->url, 2};

    if (store_open(&opts, &f->st, &diag) != SB_OK) {
        print_error("store_open: %s\n", diag.message);
        return -1;
    }
    return 0;
}

static int64_t hits_for(struct store *st, const char *word)
{
    const char *terms[] = {word};
    struct store_message_query q = {NULL, terms, 1, 0, 10, 100};
    struct sb_message_hit *h = NULL;
    size_t n = 0;
    int64_t total = 0;

    assert_int_equal(store_message_search(st, &q, &h, &n, &total), SB_OK);
    store_message_hit_free_array(h, n);
    return (int64_t)n;
}

static int64_t total_for(struct store *st, const char *word, int64_t size, int64_t count_max,
                         size_t *n)
{
    const char *terms[] = {word};
    struct store_message_query q = {NULL, terms, 1, 0, size, count_max};
    struct sb_message_hit *h = NULL;
    int64_t total = 0;

    assert_int_equal(store_message_search(st, &q, &h, n, &total), SB_OK);
    store_message_hit_free_array(h, *n);
    return total;
}

static void append(struct store *st, const char *id, const char *body, const char *attachments)
{
    struct sb_message m = {0};

    snprintf(m.id, sizeof(m.id), "%s", id);
    snprintf(m.team_id, sizeof(m.team_id), "t");
    snprintf(m.channel_id, sizeof(m.channel_id), "c");
    snprintf(m.created, sizeof(m.created), "2026-01-01T00:00:00Z");
    snprintf(m.from_kind, sizeof(m.from_kind), "application");
    snprintf(m.from_id, sizeof(m.from_id), "x");
    snprintf(m.body_type, sizeof(m.body_type), "text");
    m.body = (char *)body;
    m.attachments = (char *)attachments;
    assert_int_equal(store_message_append(st, &m), SB_OK);
}

static void test_backfill_at_open(void **state)
{
    struct fx f = {{0}, {0}, NULL};
    size_t n = 0;
    const char *setup[] = {
        "INSERT INTO teams (id, display_name, created_at) VALUES ('t', 'T', '2026-01-01')",
        "INSERT INTO channels (id, team_id, display_name, name_lower, created_at) "
        "VALUES ('c', 't', 'General', 'general', '2026-01-01')",
        NULL};
    const char *forget[] = {"UPDATE messages SET search_text = NULL", NULL};

    (void)state;
    snprintf(f.dir, sizeof(f.dir), "/tmp/sb-test-msearch-XXXXXX");
    assert_non_null(mkdtemp(f.dir));
    snprintf(f.url, sizeof(f.url), "sqlite:%s/t.db", f.dir);
    assert_int_equal(open_store(&f), 0);
    assert_int_equal(store_write(f.st, exec_fn, setup), SB_OK);
    append(f.st, "m1", "", CARD);
    assert_int_equal(hits_for(f.st, "db7"), 1);
    /* As a message stored before migration 014: no search text, not in the index. */
    assert_int_equal(store_write(f.st, exec_fn, forget), SB_OK);
    assert_int_equal(hits_for(f.st, "db7"), 0);
    store_close(f.st);
    f.st = NULL;
    assert_int_equal(open_store(&f), 0);
    assert_int_equal(hits_for(f.st, "db7"), 1);
    assert_int_equal(hits_for(f.st, "disk"), 1);
    /* A card its service replaced is found by its new words only. */
    assert_int_equal(store_message_set_attachments(f.st, "m1", "t",
                                                   "[{\"content\":{\"title\":\"Resolved db9\"}}]"),
                     SB_OK);
    assert_int_equal(hits_for(f.st, "db7"), 0);
    assert_int_equal(hits_for(f.st, "db9"), 1);
    /* Totals are counted up to count_max, or past the page asked for when that is more. */
    for (int i = 0; i < 5; i++) {
        char id[16];

        snprintf(id, sizeof(id), "c%d", i);
        append(f.st, id, "counted", NULL);
    }
    assert_int_equal(total_for(f.st, "counted", 1, 10, &n), 5);
    assert_int_equal(n, 1);
    assert_int_equal(total_for(f.st, "counted", 1, 2, &n), 2);
    assert_int_equal(total_for(f.st, "counted", 3, 2, &n), 4);
    assert_int_equal(n, 3);
    store_close(f.st);
    cfx_remove_dir(f.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_search_text),
        cmocka_unit_test(test_backfill_at_open),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
