/*
 * test_graphconn.c: unit tests for the pure parts of src/graphconn: search summaries
 * (sb_highlight) and schema normalisation (gc_schema_normalise).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/words.h"
#include "graphconn/graphconn.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static void expect_highlight(const char *text, const char *const *terms, size_t n, size_t max,
                             const char *want)
{
    char *out = NULL;

    assert_int_equal(sb_highlight(text, terms, n, max, &out), SB_OK);
    assert_string_equal(out, want);
    free(out);
}

static void test_highlight(void **state)
{
    const char *pay[] = {"payment"};
    const char *two[] = {"gateway", "card"};

    (void)state;
    expect_highlight("The payment gateway", pay, 1, 240, "The <c0>payment</c0> gateway");
    /* case-insensitive, whole words only */
    expect_highlight("Payment payments PAYMENT", pay, 1, 240,
                     "<c0>Payment</c0> payments <c0>PAYMENT</c0>");
    expect_highlight("gateway and card", two, 2, 240, "<c0>gateway</c0> and <c0>card</c0>");
    expect_highlight("nothing here", pay, 1, 240, "nothing here");
    expect_highlight("", pay, 1, 240, "");
    /* long text: cut at word boundaries around the first match, cuts marked */
    expect_highlight("aaaa bbbb cccc dddd payment eeee ffff gggg hhhh", pay, 1, 24,
                     "<ddd/>dddd <c0>payment</c0> eeee ffff<ddd/>");
    /* markup in the text is not interpreted (the client renders it as text) */
    expect_highlight("<b>payment</b>", pay, 1, 240, "<b><c0>payment</c0></b>");
}

static void expect_schema_error(const char *body, const char *words)
{
    json_t *b = json_loads(body, 0, NULL), *out = NULL;
    struct sb_diag diag = {{0}, {0}};

    assert_non_null(b);
    assert_int_equal(gc_schema_normalise(b, &out, &diag), SB_ERR_INVALID);
    assert_null(out);
    if (!strstr(diag.message, words))
        fail_msg("'%s' does not mention '%s'", diag.message, words);
    json_decref(b);
}

static void test_schema(void **state)
{
    json_t *b, *out = NULL, *p;
    struct sb_diag diag = {{0}, {0}};

    (void)state;
    b = json_loads("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
                   "{\"name\":\"ticketTitle\",\"type\":\"String\",\"isSearchable\":\"true\","
                   "\"isRetrievable\":\"true\",\"labels\":[\"Title\"]},"
                   "{\"name\":\"when\",\"type\":\"DATETIME\",\"labels\":[\"createdDateTime\"]}]}",
                   0, NULL);
    assert_int_equal(gc_schema_normalise(b, &out, &diag), SB_OK);
    p = json_array_get(json_object_get(out, "properties"), 0);
    assert_string_equal(json_string_value(json_object_get(p, "type")), "string");
    assert_true(json_is_true(json_object_get(p, "isSearchable")));
    assert_true(json_is_false(json_object_get(p, "isRefinable")));
    assert_string_equal(json_string_value(json_array_get(json_object_get(p, "labels"), 0)),
                        "title");
    p = json_array_get(json_object_get(out, "properties"), 1);
    assert_string_equal(json_string_value(json_object_get(p, "type")), "dateTime");
    json_decref(out);
    json_decref(b);

    expect_schema_error("{\"properties\":[]}", "baseType");
    expect_schema_error("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":[]}",
                        "1 to 128");
    expect_schema_error("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
                        "{\"name\":\"a b\",\"type\":\"string\"}]}",
                        "letters or digits");
    expect_schema_error("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
                        "{\"name\":\"n\",\"type\":\"int64\",\"isSearchable\":true}]}",
                        "only string");
    expect_schema_error("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
                        "{\"name\":\"a\",\"type\":\"string\",\"labels\":[\"title\"]},"
                        "{\"name\":\"b\",\"type\":\"string\",\"labels\":[\"title\"]}]}",
                        "the label title is on more than one property");
    expect_schema_error("{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
                        "{\"name\":\"a\",\"type\":\"int64\",\"labels\":[\"createdDateTime\"]}]}",
                        "needs the type dateTime");
    expect_schema_error(
        "{\"baseType\":\"microsoft.graph.externalItem\",\"properties\":["
        "{\"name\":\"a\",\"type\":\"string\"},{\"name\":\"A\",\"type\":\"string\"}]}",
        "twice");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_highlight),
        cmocka_unit_test(test_schema),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
