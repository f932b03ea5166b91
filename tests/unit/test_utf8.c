/*
 * test_utf8.c: unit tests for src/core/utf8.c, the one place that decides where text may be
 * cut: every boundary of 1- to 4-byte characters, and invalid input (stray continuation bytes,
 * overlong forms, surrogates, truncated sequences), which must never come out split further or
 * make jansson refuse the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/sb.h"
#include "core/utf8.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* "a" (1 byte), "é" (2), "€" (3), "😀" (4): character k starts at byte 0, 1, 3, 6; 10 bytes. */
#define MIXED "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"

static void test_valid(void **state)
{
    (void)state;
    assert_true(sb_utf8_valid(MIXED, strlen(MIXED)));
    assert_true(sb_utf8_valid("", 0));
    assert_true(sb_utf8_valid("a\0b", 3));              /* NUL is a character */
    assert_true(sb_utf8_valid("\xF4\x8F\xBF\xBF", 4));  /* U+10FFFF */
    assert_false(sb_utf8_valid("\xC3", 1));             /* truncated */
    assert_false(sb_utf8_valid("\xE2\x82", 2));         /* truncated */
    assert_false(sb_utf8_valid("\xF0\x9F\x98", 3));     /* truncated */
    assert_false(sb_utf8_valid("\x80", 1));             /* stray continuation */
    assert_false(sb_utf8_valid("\xC0\xAF", 2));         /* overlong '/' */
    assert_false(sb_utf8_valid("\xE0\x80\xAF", 3));     /* overlong */
    assert_false(sb_utf8_valid("\xF0\x80\x80\xAF", 4)); /* overlong */
    assert_false(sb_utf8_valid("\xED\xA0\x80", 3));     /* surrogate U+D800 */
    assert_false(sb_utf8_valid("\xF4\x90\x80\x80", 4)); /* above U+10FFFF */
    assert_false(sb_utf8_valid("\xFF", 1));
    assert_false(sb_utf8_valid("\xC3\x28", 2)); /* lead without continuation */
}

static void test_chars(void **state)
{
    (void)state;
    assert_int_equal(sb_utf8_chars(""), 0);
    assert_int_equal(sb_utf8_chars(MIXED), 4);
    /* Invalid bytes count one each; a truncated sequence is one stray lead byte plus the rest. */
    assert_int_equal(sb_utf8_chars("a\x80z"), 3);
    assert_int_equal(sb_utf8_chars("\xE2\x82z"), 3);
}

static void test_prefix_chars(void **state)
{
    static const size_t bytes[] = {0, 1, 3, 6, 10, 10, 10};

    (void)state;
    for (size_t k = 0; k < sizeof(bytes) / sizeof(bytes[0]); k++)
        assert_int_equal(sb_utf8_prefix_chars(MIXED, k), bytes[k]);
    /* Commit ids as the service connectors shorten them. */
    assert_int_equal(sb_utf8_prefix_chars("abcdef\xC3\xA9"
                                          "123",
                                          7),
                     8);
    assert_int_equal(sb_utf8_prefix_chars("ab\xF0\x9F\x98\x80"
                                          "cdefgh",
                                          7),
                     10);
    /* Invalid input: each stray byte is one character, and nothing valid is split. */
    assert_int_equal(sb_utf8_prefix_chars("\x80\x80\xC3\xA9", 3), 4);
    assert_int_equal(sb_utf8_prefix_chars("\xF0\x9F\x98", 2), 2);
}

static void test_prefix_bytes(void **state)
{
    /* For each limit 0..11 the longest prefix of MIXED that ends on a character boundary. */
    static const size_t fit[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 10};

    (void)state;
    for (size_t max = 0; max < sizeof(fit) / sizeof(fit[0]); max++) {
        size_t n = sb_utf8_prefix_bytes(MIXED, max);
        assert_int_equal(n, fit[max]);
        assert_true(sb_utf8_valid(MIXED, n));
    }
    assert_int_equal(sb_utf8_prefix_bytes("", 5), 0);
    /* Invalid input is stepped over one byte at a time; the cut still lands between bytes that
     * were already there, never inside a valid character that follows. */
    assert_int_equal(sb_utf8_prefix_bytes("\x80\x80\xE2\x82\xAC", 4), 2);
    assert_int_equal(sb_utf8_prefix_bytes("\xE2\x82"
                                          "ab",
                                          3),
                     3);
    /* The limit is a limit: bytes past it are not needed to decide. */
    assert_int_equal(sb_utf8_prefix_bytes("ab\xF0\x9F\x98\x80", 2), 2);
}

static void test_scrub(void **state)
{
    char cut[] = "abcd\xF0\x9F\x98", bad[] = "a\x80"
                                             "b\xC0\xAF"
                                             "c\xED\xA0\x80"
                                             "d\xF0\x9F\x98"
                                             "e\xFF";
    json_t *j;

    (void)state;
    /* What snprintf() leaves when a 4-byte character meets the end of an 8-byte buffer. */
    assert_int_equal(strlen(cut), 7);
    assert_null(json_string(cut));
    assert_int_equal(sb_utf8_scrub(cut), 4);
    assert_string_equal(cut, "abcd");
    j = json_string(cut);
    assert_non_null(j);
    json_decref(j);

    assert_int_equal(sb_utf8_scrub(bad), 5);
    assert_string_equal(bad, "abcde");

    char good[] = MIXED;
    assert_int_equal(sb_utf8_scrub(good), strlen(MIXED));
    assert_string_equal(good, MIXED);
}

/* sb_fail() messages quote the caller's text and may be cut inside a character. */
static void test_fail_message_is_valid(void **state)
{
    struct sb_diag diag;
    char text[400];
    json_t *j;

    (void)state;
    memset(text, 0, sizeof(text));
    for (size_t i = 0; i + 2 < sizeof(text); i += 2) {
        text[i] = '\xC3';
        text[i + 1] = '\xA9';
    }
    /* 319 bytes fit: the last é is cut in two. */
    sb_fail(&diag, SB_ERR_INVALID, "invalidRequest", "%s", text);
    assert_true(sb_utf8_valid(diag.message, strlen(diag.message)));
    j = json_string(diag.message);
    assert_non_null(j);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),        cmocka_unit_test(test_chars),
        cmocka_unit_test(test_prefix_chars), cmocka_unit_test(test_prefix_bytes),
        cmocka_unit_test(test_scrub),        cmocka_unit_test(test_fail_message_is_valid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
