/*
 * test_template.c: unit tests for src/services/template (the JSON template connector's
 * `{{ .path }}` language): paths, missing values, stringification, escaping into JSON, limits
 * and hostile input; and for the card the template connector builds from it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "services/services.h"
#include "services/template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *data;

static int setup(void **state)
{
    (void)state;
    data = json_loads("{\"a\":{\"b\":\"deep\",\"n\":42,\"r\":1.5,\"t\":true,\"z\":null},"
                      "\"list\":[{\"name\":\"first\"},{\"name\":\"second\"}],"
                      "\"tags\":[\"x\",\"y\"],\"odd key\":1,\"k-1\":\"dash\","
                      "\"q\":\"\\\"},{\\\"x\\\":\\\"<b>\",\"nul\":\"a\\u0000b\",\"0\":\"zero\"}",
                      JSON_ALLOW_NUL, NULL);
    return data ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    json_decref(data);
    return 0;
}

/* Renders tmpl and checks the text (NULL: expects an error with err). */
static void expect(const char *tmpl, const char *want)
{
    struct sb_diag diag = {{0}, {0}};
    size_t budget = TEMPLATE_OUTPUT_MAX;
    char *out = NULL;
    sb_err err = template_render_string(tmpl, data, &budget, &out, &diag);

    if (!want) {
        assert_int_equal(err, SB_ERR_INVALID);
        assert_null(out);
        assert_true(diag.message[0] != '\0');
        return;
    }
    assert_int_equal(err, SB_OK);
    assert_string_equal(out, want);
    assert_int_equal(budget, TEMPLATE_OUTPUT_MAX - strlen(want));
    free(out);
}

static void paths(void **state)
{
    (void)state;
    expect("plain text", "plain text");
    expect("", "");
    expect("{{ .a.b }}", "deep");
    expect("{{.a.b}}", "deep");
    expect("x{{ .a.b }}y{{ .a.b }}z", "xdeepydeepz");
    expect("{{ .list.0.name }} and {{ .list.1.name }}", "first and second");
    expect("{{ .k-1 }}", "dash");
    expect("{{ .0 }}", "zero"); /* a digit segment on an object is a key */
    expect("{{\t.a.b\n}}", "deep");
}

static void missing_is_empty(void **state)
{
    (void)state;
    expect("[{{ .nope }}]", "[]");
    expect("[{{ .a.b.c }}]", "[]");       /* through a string */
    expect("[{{ .list.9.name }}]", "[]"); /* out of range */
    expect("[{{ .list.x }}]", "[]");      /* non-numeric on an array */
    expect("[{{ .list.-1 }}]", "[]");
    expect("[{{ .list.99999999999 }}]", "[]");
    expect("[{{ .a.z }}]", "[]"); /* null */
}

static void stringification(void **state)
{
    (void)state;
    expect("{{ .a.n }}", "42");
    expect("{{ .a.r }}", "1.5");
    expect("{{ .a.t }}", "true");
    expect("{{ .tags }}", "[\"x\",\"y\"]");
    expect("{{ .list.0 }}", "{\"name\":\"first\"}");
    expect("{{ .nul }}", "ab"); /* NUL bytes are dropped */
}

static void syntax_errors(void **state)
{
    (void)state;
    expect("{{ .a.b", NULL);
    expect("{{ a.b }}", NULL);
    expect("{{ }}", NULL);
    expect("{{ .a..b }}", NULL);
    expect("{{ .a. }}", NULL);
    expect("{{ .a b }}", NULL);
    expect("{{ .a }", NULL);
    expect("{{{{", NULL);
}

/* Values land in the output tree as strings: serialised, they are escaped, never structure. */
static void escaping(void **state)
{
    struct sb_diag diag = {{0}, {0}};
    json_t *tmpl =
        json_pack("{s:s,s:[{s:s}]}", "title", "T {{ .q }}", "facts", "value", "{{ .q }}");
    json_t *out = NULL;
    char *text;

    (void)state;
    assert_int_equal(template_render(tmpl, data, &out, &diag), SB_OK);
    text = json_dumps(out, JSON_COMPACT | JSON_SORT_KEYS);
    assert_string_equal(text, "{\"facts\":[{\"value\":\"\\\"},{\\\"x\\\":\\\"<b>\"}],"
                              "\"title\":\"T \\\"},{\\\"x\\\":\\\"<b>\"}");
    free(text);
    assert_int_equal(json_object_size(out), 2);
    json_decref(out);
    json_decref(tmpl);
}

static void whole_document_and_root(void **state)
{
    struct sb_diag diag = {{0}, {0}};
    size_t budget = TEMPLATE_OUTPUT_MAX;
    json_t *small = json_pack("{s:i}", "a", 1);
    char *out = NULL;

    (void)state;
    assert_int_equal(template_render_string("{{ . }}", small, &budget, &out, &diag), SB_OK);
    assert_string_equal(out, "{\"a\":1}");
    free(out);
    json_decref(small);
}

static void limits(void **state)
{
    struct sb_diag diag = {{0}, {0}};
    size_t budget = 10;
    char *out = NULL, *big;
    json_t *deep, *tmpl, *rendered = NULL;

    (void)state;
    /* Output budget. */
    assert_int_equal(
        template_render_string("{{ .a.b }}{{ .a.b }}{{ .a.b }}", data, &budget, &out, &diag),
        SB_ERR_TOO_LARGE);
    assert_null(out);
    /* Too many placeholders. */
    big = malloc(TEMPLATE_PLACEHOLDERS_MAX * 8 + 16);
    assert_non_null(big);
    big[0] = '\0';
    for (int i = 0; i <= TEMPLATE_PLACEHOLDERS_MAX; i++)
        strcat(big, "{{ .x }}");
    budget = TEMPLATE_OUTPUT_MAX;
    assert_int_equal(template_render_string(big, data, &budget, &out, &diag), SB_ERR_INVALID);
    assert_non_null(strstr(diag.message, "placeholders"));
    free(big);
    /* Too many path segments. */
    big = malloc(TEMPLATE_PATH_MAX * 2 + 16);
    assert_non_null(big);
    strcpy(big, "{{ ");
    for (int i = 0; i <= TEMPLATE_PATH_MAX; i++)
        strcat(big, ".a");
    strcat(big, " }}");
    budget = TEMPLATE_OUTPUT_MAX;
    assert_int_equal(template_render_string(big, data, &budget, &out, &diag), SB_ERR_INVALID);
    free(big);
    /* Nesting. */
    deep = json_string("{{ .a.b }}");
    for (int i = 0; i < TEMPLATE_DEPTH_MAX + 1; i++)
        deep = json_pack("[o]", deep);
    assert_int_equal(template_render(deep, data, &rendered, &diag), SB_ERR_INVALID);
    assert_null(rendered);
    assert_int_equal(template_check(deep, &diag), SB_ERR_INVALID);
    json_decref(deep);
    /* Template size. */
    big = malloc(TEMPLATE_TEXT_MAX + 2);
    assert_non_null(big);
    memset(big, 'x', TEMPLATE_TEXT_MAX + 1);
    big[TEMPLATE_TEXT_MAX + 1] = '\0';
    tmpl = json_pack("{s:s}", "title", big);
    assert_int_equal(template_check(tmpl, &diag), SB_ERR_INVALID);
    json_decref(tmpl);
    free(big);
}

/* Payload values that look like placeholders are not rendered again. */
static void no_second_pass(void **state)
{
    struct sb_diag diag = {{0}, {0}};
    size_t budget = TEMPLATE_OUTPUT_MAX;
    json_t *d = json_pack("{s:s,s:s}", "x", "{{ .secret }}", "secret", "s3cr3t");
    char *out = NULL;

    (void)state;
    assert_int_equal(template_render_string("{{ .x }}", d, &budget, &out, &diag), SB_OK);
    assert_string_equal(out, "{{ .secret }}");
    free(out);
    json_decref(d);
}

static void simple_card(void **state)
{
    struct sb_diag diag = {{0}, {0}};
    json_t *tmpl =
        json_loads("{\"title\":\"{{ .a.b }}\",\"text\":\"t\",\"themeColor\":\"{{ .c }}\","
                   "\"facts\":{\"N\":\"{{ .a.n }}\",\"Empty\":\"{{ .none }}\"},"
                   "\"links\":[{\"name\":\"Go\",\"url\":\"https://x.example/{{ .a.b }}\"},"
                   "{\"name\":\"Bad\",\"url\":\"javascript:alert(1)\"}]}",
                   0, NULL);
    json_t *d = json_pack("{s:{s:s,s:i},s:s}", "a", "b", "deep", "n", 7, "c", "failure");
    json_t *card = NULL, *facts;

    (void)state;
    assert_non_null(tmpl);
    assert_int_equal(service_template_card(tmpl, d, &card, &diag), SB_OK);
    assert_string_equal(json_string_value(json_object_get(card, "@type")), "MessageCard");
    assert_string_equal(json_string_value(json_object_get(card, "title")), "deep");
    assert_string_equal(json_string_value(json_object_get(card, "themeColor")), "D63333");
    facts = json_object_get(json_array_get(json_object_get(card, "sections"), 0), "facts");
    assert_int_equal(json_array_size(facts), 1); /* the empty fact is left out */
    assert_int_equal(json_array_size(json_object_get(card, "potentialAction")), 1);
    json_decref(card);
    json_decref(tmpl);
    json_decref(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(paths),           cmocka_unit_test(missing_is_empty),
        cmocka_unit_test(stringification), cmocka_unit_test(syntax_errors),
        cmocka_unit_test(escaping),        cmocka_unit_test(whole_document_and_root),
        cmocka_unit_test(limits),          cmocka_unit_test(no_second_pass),
        cmocka_unit_test(simple_card),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
