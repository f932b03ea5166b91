/*
 * test_cards.c: unit tests for src/cards (card_message_parse): accepted bodies, the output
 * shape, summary derivation, every refusal with its exact text, limits and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cards/cards.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAD "Bad payload received by generic incoming webhook. "

/* ---- helpers ---- */

/* Ids "00000000-0000-4000-8000-00000000000N", N counting the calls. */
static void fake_id(void *arg, char out[37])
{
    int *calls = arg;

    (*calls)++;
    snprintf(out, 37, "00000000-0000-4000-8000-%012d", *calls);
}

static int id_calls;

static sb_err parse(const char *body, size_t len, const char *ct, struct card_message *m,
                    struct sb_diag *diag)
{
    id_calls = 0;
    memset(diag, 0, sizeof(*diag));
    return card_message_parse(body, len, ct, fake_id, &id_calls, m, diag);
}

static void parse_ok_ct(const char *body, const char *ct, struct card_message *m)
{
    struct sb_diag diag;
    sb_err err = parse(body, strlen(body), ct, m, &diag);

    if (err)
        fail_msg("refused (%s): %s", diag.code, diag.message);
    assert_non_null(m->summary);
    assert_non_null(m->body);
    assert_non_null(m->attachments);
}

static void parse_ok(const char *body, struct card_message *m)
{
    parse_ok_ct(body, "application/json", m);
}

/* Expects a refusal with exactly this code and message, and `out` left zeroed. */
static void expect_fail_len(const char *body, size_t len, const char *ct, const char *code,
                            const char *message)
{
    struct card_message m;
    struct sb_diag diag;

    /* Poison the output so that "left zeroed" is really checked. */
    memset(&m, 0xA5, sizeof(m));
    assert_int_equal(parse(body, len, ct, &m, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.code, code);
    assert_string_equal(diag.message, message);
    assert_null(m.summary);
    assert_null(m.body);
    assert_null(m.attachments);
}

static void expect_bad(const char *body, const char *message)
{
    expect_fail_len(body, strlen(body), "application/json", "badPayload", message);
}

static void expect_summary_required(const char *body)
{
    expect_fail_len(body, strlen(body), "application/json", "summaryOrTextRequired",
                    "Summary or Text is required.");
}

static json_t *load(const char *text)
{
    json_error_t jerr;
    json_t *v = json_loads(text, 0, &jerr);

    if (!v)
        fail_msg("not JSON: %s", jerr.text);
    return v;
}

/* The i-th attachment object of m (a new reference to the whole array in *arr). */
static json_t *attachment(const struct card_message *m, size_t i, json_t **arr)
{
    json_t *att;

    *arr = load(m->attachments);
    assert_true(json_is_array(*arr));
    att = json_array_get(*arr, i);
    assert_non_null(att);
    return att;
}

/* Parses the content string of the i-th attachment back into JSON (caller decrefs). */
static json_t *card_content(const struct card_message *m, size_t i)
{
    json_t *arr, *att, *content;

    att = attachment(m, i, &arr);
    assert_true(json_is_string(json_object_get(att, "content")));
    content = load(json_string_value(json_object_get(att, "content")));
    json_decref(arr);
    return content;
}

static void assert_card_equals(const struct card_message *m, size_t i, const char *expected)
{
    json_t *got = card_content(m, i), *want = load(expected);

    assert_true(json_equal(got, want));
    json_decref(got);
    json_decref(want);
}

static char *repeat(const char *piece, size_t times)
{
    size_t n = strlen(piece);
    char *s = malloc(n * times + 1);

    assert_non_null(s);
    for (size_t i = 0; i < times; i++)
        memcpy(s + i * n, piece, n);
    s[n * times] = '\0';
    return s;
}

static char *print(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *print(const char *fmt, ...)
{
    va_list ap;
    char *s = NULL;
    int n;

    va_start(ap, fmt);
    n = vasprintf(&s, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    return s;
}

/* ---- accepted bodies ---- */

/* The MessageCard sample from the Teams connector documentation, every feature used. */
static const char realistic_card[] =
    "{\"@type\": \"MessageCard\", \"@context\": \"http://schema.org/extensions\","
    " \"themeColor\": \"0076D7\", \"summary\": \"Larry Bryant created a new task\","
    " \"sections\": [{\"activityTitle\": \"Larry Bryant created a new task\","
    "   \"activitySubtitle\": \"On Project Tango\","
    "   \"activityImage\": \"https://adaptivecards.io/content/cats/3.png\","
    "   \"facts\": [{\"name\": \"Assigned to\", \"value\": \"Unassigned\"},"
    "              {\"name\": \"Due date\", \"value\": \"Mon May 01 2017 17:07:18 GMT-0700\"},"
    "              {\"name\": \"Status\", \"value\": \"Not started\"}],"
    "   \"images\": [{\"image\": \"https://adaptivecards.io/content/cats/1.png\","
    "                 \"title\": \"cat\"}],"
    "   \"markdown\": true}],"
    " \"potentialAction\": ["
    "  {\"@type\": \"ActionCard\", \"name\": \"Add a comment\","
    "   \"inputs\": [{\"@type\": \"TextInput\", \"id\": \"comment\", \"isMultiline\": false,"
    "                \"title\": \"Add a comment here for this task\"}],"
    "   \"actions\": [{\"@type\": \"HttpPOST\", \"name\": \"Add comment\","
    "                 \"target\": \"https://learn.microsoft.com/outlook/actionable-messages\"}]},"
    "  {\"@type\": \"ActionCard\", \"name\": \"Set due date\","
    "   \"inputs\": [{\"@type\": \"DateInput\", \"id\": \"dueDate\", \"title\": \"Enter a due "
    "date\"}],"
    "   \"actions\": [{\"@type\": \"HttpPOST\", \"name\": \"Save\","
    "                 \"target\": \"https://learn.microsoft.com/outlook/actionable-messages\","
    "                 \"body\": \"{\\\"due\\\": \\\"{{dueDate.value}}\\\"}\","
    "                 \"bodyContentType\": \"application/json\","
    "                 \"headers\": [{\"name\": \"X-Task\", \"value\": \"42\"}]}]},"
    "  {\"@type\": \"OpenUri\", \"name\": \"Learn More\","
    "   \"targets\": [{\"os\": \"default\","
    "                 \"uri\": \"https://learn.microsoft.com/outlook/actionable-messages\"},"
    "                {\"os\": \"iOS\", \"uri\": \"http://example.com/ios\"}]},"
    "  {\"@type\": \"ActionCard\", \"name\": \"Change status\","
    "   \"inputs\": [{\"@type\": \"MultichoiceInput\", \"id\": \"list\", \"title\": \"Select a "
    "status\","
    "                \"isMultiSelect\": \"false\","
    "                \"choices\": [{\"display\": \"In Progress\", \"value\": \"1\"},"
    "                              {\"display\": \"Active\", \"value\": \"2\"}]}],"
    "   \"actions\": [{\"@type\": \"HttpPOST\", \"name\": \"Save\","
    "                 \"target\": \"https://learn.microsoft.com/outlook/actionable-messages\"}]}]}";

static void test_realistic_message_card(void **state)
{
    struct card_message m;
    json_t *arr, *att;

    (void)state;
    parse_ok(realistic_card, &m);
    assert_int_equal(id_calls, 1);
    assert_string_equal(m.summary, "Larry Bryant created a new task");
    assert_string_equal(m.body,
                        "<attachment id=\"00000000-0000-4000-8000-000000000001\"></attachment>");
    att = attachment(&m, 0, &arr);
    assert_int_equal(json_array_size(arr), 1);
    assert_int_equal(json_object_size(att), 4);
    assert_string_equal(json_string_value(json_object_get(att, "id")),
                        "00000000-0000-4000-8000-000000000001");
    assert_string_equal(json_string_value(json_object_get(att, "contentType")),
                        CARD_TYPE_MESSAGECARD);
    assert_true(json_is_null(json_object_get(att, "name")));
    json_decref(arr);
    assert_card_equals(&m, 0, realistic_card);
    card_message_free(&m);
}

/* The attachment text is compact JSON with the keys in Graph's order. */
static void test_output_shape(void **state)
{
    struct card_message m;

    (void)state;
    parse_ok("{ \"text\" : \"hi\" , \"@type\": \"MessageCard\" }", &m);
    assert_string_equal(
        m.attachments,
        "[{\"id\":\"00000000-0000-4000-8000-000000000001\","
        "\"contentType\":\"application/vnd.microsoft.teams.card.o365connector\","
        "\"content\":\"{\\\"text\\\":\\\"hi\\\",\\\"@type\\\":\\\"MessageCard\\\"}\","
        "\"name\":null}]");
    card_message_free(&m);
}

static void test_text_only(void **state)
{
    struct card_message m;

    (void)state;
    parse_ok("{\"text\":\"hi\"}", &m);
    assert_string_equal(m.summary, "hi");
    assert_card_equals(&m, 0, "{\"text\":\"hi\"}");
    card_message_free(&m);

    /* No content type means JSON. */
    parse_ok_ct("{\"text\":\"hi\"}", NULL, &m);
    assert_string_equal(m.summary, "hi");
    card_message_free(&m);
}

static void expect_summary(const char *body, const char *summary)
{
    struct card_message m;

    parse_ok(body, &m);
    assert_string_equal(m.summary, summary);
    card_message_free(&m);
}

static void test_summary_order(void **state)
{
    (void)state;
    expect_summary("{\"summary\":\"S\",\"title\":\"T\",\"text\":\"X\"}", "S");
    expect_summary("{\"title\":\"T\",\"text\":\"X\"}", "T");
    expect_summary("{\"text\":\"X\"}", "X");
    /* Blank members do not count, and what is used is trimmed. */
    expect_summary("{\"summary\":\"  \",\"title\":\" T \",\"text\":\"X\"}", "T");
    expect_summary("{\"summary\":\"\\n S\\t\",\"text\":\"X\"}", "S");
    expect_summary("{\"summary\":null,\"title\":null,\"text\":\"X\"}", "X");
    /* An envelope's summary wins over its cards'; a blank one does not. */
    expect_summary("{\"type\":\"message\",\"summary\":\"E\",\"attachments\":[{\"contentType\":"
                   "\"" CARD_TYPE_MESSAGECARD "\",\"content\":{\"summary\":\"S\"}}]}",
                   "E");
    expect_summary("{\"type\":\"message\",\"summary\":\" \",\"attachments\":[{\"contentType\":"
                   "\"" CARD_TYPE_MESSAGECARD "\",\"content\":{\"title\":\"T\",\"text\":\"X\"}}]}",
                   "T");
}

static void test_text_plain(void **state)
{
    static const char text[] = "Build **42** failed: <b>see</b> log\n";
    struct card_message m;
    json_t *want;
    char *dumped;

    (void)state;
    parse_ok_ct(text, "text/plain; charset=utf-8", &m);
    assert_string_equal(m.summary, "Build **42** failed: <b>see</b> log");
    want = json_pack("{s:s}", "text", text);
    dumped = json_dumps(want, 0);
    assert_card_equals(&m, 0, dumped);
    free(dumped);
    json_decref(want);
    card_message_free(&m);

    /* Any case, and a body that is JSON but not an object is still text. */
    parse_ok_ct("[1, 2]", "TEXT/PLAIN", &m);
    assert_string_equal(m.summary, "[1, 2]");
    card_message_free(&m);
    parse_ok_ct("{\"text\": oops", "text/plain", &m);
    assert_card_equals(&m, 0, "{\"text\":\"{\\\"text\\\": oops\"}");
    card_message_free(&m);

    /* A JSON object sent as text/plain is read as a card. */
    parse_ok_ct("{\"text\":\"card\"}", "text/plain", &m);
    assert_card_equals(&m, 0, "{\"text\":\"card\"}");
    card_message_free(&m);

    /* "text/plainish" is not text/plain: the body must be JSON. */
    expect_fail_len("hello", 5, "text/plainish", "badPayload",
                    BAD "The body is not valid JSON (line 1, column 5: invalid token near "
                        "'hello').");

    expect_fail_len(" \r\n\t", 4, "text/plain", "badPayload", BAD "The body is empty.");
    expect_fail_len("a\0b", 3, "text/plain", "badPayload",
                    BAD "The text/plain body must not contain NUL characters.");
    expect_fail_len("caf\xe9", 4, "text/plain", "badPayload",
                    BAD "The text/plain body is not valid UTF-8.");
    expect_fail_len("\xed\xa0\x80", 3, "text/plain", "badPayload",
                    BAD "The text/plain body is not valid UTF-8.");
    expect_fail_len("\xc0\xaf", 2, "text/plain", "badPayload",
                    BAD "The text/plain body is not valid UTF-8.");
}

static const char adaptive_card_1[] =
    "{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"$schema\":"
    "\"http://adaptivecards.io/schemas/adaptive-card.json\","
    "\"body\":[{\"type\":\"Image\",\"url\":\"https://example.com/a.png\"},"
    "{\"type\":\"Container\",\"items\":[{\"type\":\"TextBlock\",\"text\":\"  \"},"
    "{\"type\":\"ColumnSet\",\"columns\":[{\"type\":\"Column\",\"items\":"
    "[{\"type\":\"TextBlock\",\"text\":\" Deploy <at>Ann</at> done \"}]}]}]},"
    "{\"type\":\"TextBlock\",\"text\":\"later\"}],"
    "\"actions\":[{\"type\":\"Action.OpenUrl\",\"title\":\"Open\",\"url\":\"https://example.com\"},"
    "{\"type\":\"Action.Submit\",\"title\":\"Submit\"}],"
    "\"msteams\":{\"width\":\"Full\",\"entities\":[{\"type\":\"mention\",\"text\":\"<at>Ann</at>\","
    "\"mentioned\":{\"id\":\"ann@example.com\",\"name\":\"Ann\"}}]}}";

static void test_envelope_one_adaptive(void **state)
{
    struct card_message m;
    json_t *arr, *att;
    char *body;

    (void)state;
    body = print("{\"type\":\"message\",\"attachments\":[{\"contentType\":\"%s\","
                 "\"contentUrl\":null,\"content\":%s}]}",
                 CARD_TYPE_ADAPTIVE, adaptive_card_1);
    parse_ok(body, &m);
    /* The first non-blank TextBlock, depth first; Action.Submit is kept. */
    assert_string_equal(m.summary, "Deploy <at>Ann</at> done");
    att = attachment(&m, 0, &arr);
    assert_int_equal(json_array_size(arr), 1);
    assert_string_equal(json_string_value(json_object_get(att, "contentType")), CARD_TYPE_ADAPTIVE);
    json_decref(arr);
    assert_card_equals(&m, 0, adaptive_card_1);
    card_message_free(&m);
    free(body);
}

/* msteams.entities mentions of Adaptive Cards: the id (user id or UPN) and the text inside the
 * <at> tag, in order; entries without a type "mention", a text or a mentioned.id are skipped,
 * and so are MessageCards' (which have no entities). */
static void test_adaptive_mentions(void **state)
{
    struct card_message m;

    (void)state;
    parse_ok(
        "{\"type\":\"message\",\"attachments\":[{\"contentType\":\"" CARD_TYPE_ADAPTIVE
        "\",\"content\":{\"type\":\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[{\"type\":"
        "\"TextBlock\",\"text\":\"<at>Ann</at> <at>Bo</at>\"}],\"msteams\":{\"entities\":["
        "{\"type\":\"mention\",\"text\":\"<at>Ann</at>\",\"mentioned\":{\"id\":\"ann@x.test\"}},"
        "{\"type\":\"mention\",\"text\":\"<at>Cy</at>\",\"mentioned\":{}},"
        "{\"type\":\"other\",\"text\":\"<at>Di</at>\",\"mentioned\":{\"id\":\"d\"}},"
        "{\"type\":\"mention\",\"text\":\"Bo\",\"mentioned\":{\"id\":\"b-id\"}}]}}}]}",
        &m);
    assert_int_equal(m.n_mentions, 2);
    assert_string_equal(m.mentions[0].who, "ann@x.test");
    assert_string_equal(m.mentions[0].text, "Ann");
    assert_string_equal(m.mentions[1].who, "b-id");
    assert_string_equal(m.mentions[1].text, "Bo");
    card_message_free(&m);
    assert_null(m.mentions);
    parse_ok("{\"text\":\"<at>Ann</at>\"}", &m);
    assert_int_equal(m.n_mentions, 0);
    assert_null(m.mentions);
    card_message_free(&m);
}

static void test_envelope_three_adaptive(void **state)
{
    struct card_message m;
    char *body;

    (void)state;
    body = print("{\"type\":\"message\",\"attachments\":["
                 "{\"contentType\":\"%s\",\"content\":{\"type\":\"AdaptiveCard\",\"body\":[]}},"
                 "{\"contentType\":\"%s\",\"content\":%s},"
                 "{\"contentType\":\"%s\",\"content\":{\"type\":\"AdaptiveCard\",\"body\":"
                 "[{\"type\":\"TextBlock\",\"text\":\"third\"}]}}]}",
                 CARD_TYPE_ADAPTIVE, "APPLICATION/vnd.microsoft.card.adaptive", adaptive_card_1,
                 CARD_TYPE_ADAPTIVE);
    parse_ok(body, &m);
    assert_int_equal(id_calls, 3);
    /* The first card has no TextBlock. */
    assert_string_equal(m.summary, "Card");
    assert_string_equal(m.body,
                        "<attachment id=\"00000000-0000-4000-8000-000000000001\"></attachment>"
                        "<attachment id=\"00000000-0000-4000-8000-000000000002\"></attachment>"
                        "<attachment id=\"00000000-0000-4000-8000-000000000003\"></attachment>");
    assert_card_equals(&m, 0, "{\"type\":\"AdaptiveCard\",\"body\":[]}");
    assert_card_equals(&m, 1, adaptive_card_1);
    assert_card_equals(&m, 2,
                       "{\"type\":\"AdaptiveCard\",\"body\":[{\"type\":\"TextBlock\","
                       "\"text\":\"third\"}]}");
    {
        json_t *arr, *att = attachment(&m, 1, &arr);

        /* The canonical spelling of the content type is stored. */
        assert_int_equal(json_array_size(arr), 3);
        assert_string_equal(json_string_value(json_object_get(att, "contentType")),
                            CARD_TYPE_ADAPTIVE);
        json_decref(arr);
    }
    card_message_free(&m);
    free(body);
}

static void test_connector_envelope(void **state)
{
    struct card_message m;
    json_t *arr, *att;
    char *body;

    (void)state;
    body = print("{\"type\":\"message\",\"attachments\":[{\"contentType\":\"%s\",\"content\":%s},"
                 "{\"contentType\":\"%s\",\"content\":{\"type\":\"AdaptiveCard\"}}]}",
                 CARD_TYPE_MESSAGECARD, realistic_card, CARD_TYPE_ADAPTIVE);
    parse_ok(body, &m);
    assert_string_equal(m.summary, "Larry Bryant created a new task");
    att = attachment(&m, 0, &arr);
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_object_get(att, "contentType")),
                        CARD_TYPE_MESSAGECARD);
    json_decref(arr);
    assert_card_equals(&m, 0, realistic_card);
    card_message_free(&m);
    free(body);

    /* The MessageCard rules apply inside the envelope too. */
    body = print("{\"type\":\"message\",\"attachments\":[{\"contentType\":\"%s\","
                 "\"content\":{\"title\":\"only a title\"}}]}",
                 CARD_TYPE_MESSAGECARD);
    expect_summary_required(body);
    free(body);
}

/* What is not checked stays accepted: nulls, duplicates, unknown members, case of @type. */
static void test_lenient_parts(void **state)
{
    struct card_message m;

    (void)state;
    expect_summary("{\"text\":\"hi\",\"title\":null,\"sections\":null,\"potentialAction\":null,"
                   "\"@type\":null}",
                   "hi");
    expect_summary("{\"@type\":\"messagecard\",\"text\":\"hi\",\"whatever\":{\"x\":[1,2.5]}}",
                   "hi");
    /* Teams takes duplicate keys; the last one counts. */
    expect_summary("{\"text\":\"first\",\"text\":\"second\"}", "second");
    /* type "message" without attachments is a MessageCard. */
    expect_summary("{\"type\":\"message\",\"text\":\"hi\"}", "hi");
    expect_summary("{\"text\":\"hi\",\"potentialAction\":[{\"@type\":\"InvokeAddInCommand\","
                   "\"name\":\"x\",\"addInId\":1}]}",
                   "hi");
    expect_summary("{\"text\":\"hi\",\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":"
                   "[{\"uri\":\"HTTPS://example.com/x?a=1#f\"},{\"os\":\"Windows\","
                   "\"uri\":\"http://jenkins/job/My Job/1\"}]}]}",
                   "hi");
    expect_summary("{\"text\":\"hi\",\"sections\":[{\"facts\":[{\"name\":\"n\"},{\"value\":\"v\"},"
                   "{\"name\":null,\"value\":\"\"}],\"images\":[{}]}]}",
                   "hi");

    /* Exactly the limits; sections have none (Teams shows the first 10 and accepts more). */
    {
        char *sections = repeat("{},", CARD_SHOWN_SECTIONS + 5);
        char *actions = repeat("{\"@type\":\"InvokeAddInCommand\"},", CARD_MAX_ACTIONS);
        char *body;

        sections[strlen(sections) - 1] = '\0';
        actions[strlen(actions) - 1] = '\0';
        body =
            print("{\"text\":\"t\",\"sections\":[%s],\"potentialAction\":[%s]}", sections, actions);
        parse_ok(body, &m);
        card_message_free(&m);
        free(body);
        free(sections);
        free(actions);
    }
}

/* ---- refusals ---- */

struct bad_case {
    const char *body;
    const char *message; /* after "Bad payload received by generic incoming webhook. " */
};

#define MC "\"text\":\"t\","
#define ENV(att) "{\"type\":\"message\",\"attachments\":[" att "]}"
#define ADAPTIVE "\"contentType\":\"" CARD_TYPE_ADAPTIVE "\""
#define CONNECTOR "\"contentType\":\"" CARD_TYPE_MESSAGECARD "\""

static const struct bad_case bad_cases[] = {
    /* MessageCard */
    {"{\"@type\":\"AdaptiveCard\",\"text\":\"t\"}", "@type must be \"MessageCard\"."},
    {"{\"@type\":5,\"text\":\"t\"}", "@type must be \"MessageCard\"."},
    {"{\"text\":5}", "text must be a string."},
    {"{\"text\":\"t\",\"summary\":[]}", "summary must be a string."},
    {"{" MC "\"title\":5}", "title must be a string."},
    {"{" MC "\"themeColor\":{}}", "themeColor must be a string."},
    {"{" MC "\"sections\":{}}", "sections must be an array."},
    {"{" MC "\"sections\":[{}, 3]}", "sections[1] must be an object."},
    {"{" MC "\"sections\":[{\"activityTitle\":1}]}", "sections[0].activityTitle must be a string."},
    {"{" MC "\"sections\":[{\"activitySubtitle\":true}]}",
     "sections[0].activitySubtitle must be a string."},
    {"{" MC "\"sections\":[{\"activityText\":[]}]}", "sections[0].activityText must be a string."},
    {"{" MC "\"sections\":[{\"activityImage\":{}}]}",
     "sections[0].activityImage must be a string."},
    {"{" MC "\"sections\":[{\"text\":2}]}", "sections[0].text must be a string."},
    {"{" MC "\"sections\":[{\"title\":2}]}", "sections[0].title must be a string."},
    {"{" MC "\"sections\":[{\"facts\":{}}]}", "sections[0].facts must be an array."},
    {"{" MC "\"sections\":[{\"facts\":[\"a\"]}]}", "sections[0].facts[0] must be an object."},
    {"{" MC "\"sections\":[{},{\"facts\":[{\"name\":\"a\",\"value\":\"b\"},{\"name\":\"c\","
     "\"value\":{\"view\":\"x\"}}]}]}",
     "sections[1].facts[1].value must be a string."},
    {"{" MC "\"sections\":[{\"facts\":[{\"name\":\"a\",\"value\":3}]}]}",
     "sections[0].facts[0].value must be a string."},
    {"{" MC "\"sections\":[{\"facts\":[{\"name\":1,\"value\":\"b\"}]}]}",
     "sections[0].facts[0].name must be a string."},
    {"{" MC "\"sections\":[{\"images\":[{\"image\":1}]}]}",
     "sections[0].images[0].image must be a string."},
    {"{" MC "\"sections\":[{\"images\":\"x\"}]}", "sections[0].images must be an array."},
    {"{" MC "\"sections\":[{\"potentialAction\":[{},{},{},{},{}]}]}",
     "sections[0].potentialAction must have at most 4 items."},
    {"{" MC "\"sections\":[{\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":"
     "[{\"os\":\"default\",\"uri\":\"file:///etc/passwd\"}]}]}]}",
     "sections[0].potentialAction[0].targets[0].uri must be an http or https URL."},
    /* Actions */
    {"{" MC "\"potentialAction\":{}}", "potentialAction must be an array."},
    {"{" MC "\"potentialAction\":[{},{},{},{},{}]}", "potentialAction must have at most 4 items."},
    {"{" MC "\"potentialAction\":[1]}", "potentialAction[0] must be an object."},
    {"{" MC "\"potentialAction\":[{}]}", "potentialAction[0].@type is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ViewAction\",\"name\":\"x\",\"target\":[\"u\"]}]}",
     "potentialAction[0].@type must be OpenUri, HttpPOST, ActionCard or InvokeAddInCommand."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"openuri\"}]}",
     "potentialAction[0].@type must be OpenUri, HttpPOST, ActionCard or InvokeAddInCommand."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"name\":7}]}",
     "potentialAction[0].name must be a string."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\"}]}",
     "potentialAction[0].targets is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[]}]}",
     "potentialAction[0].targets must have at least 1 item."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"os\":\"default\","
     "\"uri\":\"javascript:alert(1)\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":"
     "\"JavaScript://%0aalert(1)\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":"
     "\" https://example.com\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":\"https://\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":\"https:///x\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":"
     "\"data:text/html,<script>alert(1)</script>\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"uri\":"
     "\"https://a.example/x\\ny\"}]}]}",
     "potentialAction[0].targets[0].uri must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"os\":\"default\"}]}]}",
     "potentialAction[0].targets[0].uri is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"os\":\"linux\","
     "\"uri\":\"https://x\"}]}]}",
     "potentialAction[0].targets[0].os must be default, windows, iOS or android."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"OpenUri\",\"targets\":[{\"os\":1,"
     "\"uri\":\"https://x\"}]}]}",
     "potentialAction[0].targets[0].os must be a string."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\"}]}",
     "potentialAction[0].target is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"ftp://x/y\"}]}",
     "potentialAction[0].target must be an http or https URL."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\",\"body\":{}}]}",
     "potentialAction[0].body must be a string."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\","
     "\"bodyContentType\":\"text/html\"}]}",
     "potentialAction[0].bodyContentType must be application/json or "
     "application/x-www-form-urlencoded."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\","
     "\"headers\":{}}]}",
     "potentialAction[0].headers must be an array."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\","
     "\"headers\":[{\"value\":\"v\"}]}]}",
     "potentialAction[0].headers[0].name is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\","
     "\"headers\":[{\"name\":\"n\",\"value\":1}]}]}",
     "potentialAction[0].headers[0].value must be a string."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"inputs\":[{\"@type\":\"Bogus\","
     "\"id\":\"x\"}]}]}",
     "potentialAction[0].inputs[0].@type must be TextInput, DateInput or MultichoiceInput."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"inputs\":[{\"@type\":"
     "\"TextInput\"}]}]}",
     "potentialAction[0].inputs[0].id is required."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"inputs\":[{\"@type\":"
     "\"TextInput\",\"id\":3}]}]}",
     "potentialAction[0].inputs[0].id must be a string."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"actions\":[{\"@type\":"
     "\"ActionCard\",\"actions\":[]}]}]}",
     "potentialAction[0].actions[0].@type must be OpenUri or HttpPOST inside an ActionCard."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"actions\":[{\"@type\":"
     "\"InvokeAddInCommand\"}]}]}",
     "potentialAction[0].actions[0].@type must be OpenUri or HttpPOST inside an ActionCard."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"actions\":[{},{},{},{},{}]}]}",
     "potentialAction[0].actions must have at most 4 items."},
    {"{" MC "\"potentialAction\":[{\"@type\":\"ActionCard\",\"actions\":[{\"@type\":"
     "\"OpenUri\",\"targets\":[{\"uri\":\"javascript:alert(1)\"}]}]}]}",
     "potentialAction[0].actions[0].targets[0].uri must be an http or https URL."},
    /* Envelope */
    {"{\"type\":\"message\",\"attachments\":{}}", "attachments must be an array."},
    {"{\"type\":\"message\",\"attachments\":null}", "attachments is required."},
    {"{\"type\":\"message\",\"attachments\":[]}", "attachments must have 1 to 10 items."},
    {"{\"type\":\"message\",\"summary\":1,\"attachments\":[]}", "summary must be a string."},
    {ENV("\"x\""), "attachments[0] must be an object."},
    {ENV("{}"), "attachments[0].contentType is required."},
    {ENV("{\"contentType\":\"application/vnd.microsoft.card.hero\",\"content\":{}}"),
     "attachments[0].contentType must be application/vnd.microsoft.card.adaptive or "
     "application/vnd.microsoft.teams.card.o365connector."},
    {ENV("{" ADAPTIVE "}"), "attachments[0].content is required."},
    {ENV("{" ADAPTIVE ",\"content\":\"{}\"}"), "attachments[0].content must be an object."},
    {ENV("{" ADAPTIVE ",\"content\":{}}"), "attachments[0].content.type must be \"AdaptiveCard\"."},
    {ENV("{" ADAPTIVE ",\"content\":{\"type\":\"adaptivecard\"}}"),
     "attachments[0].content.type must be \"AdaptiveCard\"."},
    {ENV("{" ADAPTIVE ",\"content\":{\"type\":\"AdaptiveCard\",\"body\":{}}}"),
     "attachments[0].content.body must be an array."},
    {ENV("{" ADAPTIVE ",\"content\":{\"type\":\"AdaptiveCard\",\"actions\":\"a\"}}"),
     "attachments[0].content.actions must be an array."},
    {ENV("{" ADAPTIVE ",\"content\":{\"type\":\"AdaptiveCard\",\"version\":1.4}}"),
     "attachments[0].content.version must be a string."},
    {ENV("{" ADAPTIVE ",\"content\":{\"type\":\"AdaptiveCard\"}},"
         "{" CONNECTOR ",\"content\":{" MC "\"sections\":[{\"facts\":[{\"value\":1}]}]}}"),
     "attachments[1].content.sections[0].facts[0].value must be a string."},
    /* The body as a whole */
    {"[]", "The body must be a JSON object."},
    {"[{\"text\":\"t\"}]", "The body must be a JSON object."},
    {"\"text\"", "The body must be a JSON object."},
    {"42", "The body must be a JSON object."},
    {"null", "The body must be a JSON object."},
    {"true", "The body must be a JSON object."},
    {"{\"text\":\"t\"", "The body is not valid JSON (line 1, column 11: '}' expected near end "
                        "of file)."},
    {"{\"text\":\"t\"} x", "The body is not valid JSON (line 1, column 14: end of file "
                           "expected near 'x')."},
    {"{\"text\":\"\\u0000\"}", "The body is not valid JSON (line 1, column 16: \\u0000 is not "
                               "allowed without JSON_ALLOW_NUL near '\"\\u0000\"')."},
};

static void test_bad_payloads(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
        char *message = print(BAD "%s", bad_cases[i].message);

        expect_bad(bad_cases[i].body, message);
        free(message);
    }
}

static void test_summary_or_text_required(void **state)
{
    (void)state;
    expect_summary_required("{}");
    expect_summary_required("{\"@type\":\"MessageCard\",\"@context\":\"https://schema.org/"
                            "extensions\",\"title\":\"a title is not enough\"}");
    expect_summary_required("{\"summary\":\"\",\"text\":\"\"}");
    expect_summary_required("{\"summary\":\" \\t\",\"text\":\"\\r\\n \"}");
    expect_summary_required("{\"summary\":null,\"text\":null}");
    expect_summary_required("{\"sections\":[{\"text\":\"in a section\"}]}");
    /* An Adaptive Card posted without the envelope is read as a MessageCard, as Teams does. */
    expect_summary_required("{\"type\":\"AdaptiveCard\",\"body\":[{\"type\":\"TextBlock\","
                            "\"text\":\"hi\"}]}");
    /* A wrong type is a bad payload, not a missing summary. */
    expect_bad("{\"summary\":1}", BAD "summary must be a string.");
    expect_bad("{\"text\":{\"a\":1}}", BAD "text must be a string.");
    /* Shape errors are reported before the summary rule. */
    expect_bad("{\"sections\":[{\"facts\":[{\"value\":1}]}]}",
               BAD "sections[0].facts[0].value must be a string.");
}

static void test_too_many_attachments(void **state)
{
    char *one = print("{\"contentType\":\"%s\",\"content\":{\"type\":\"AdaptiveCard\"}},",
                      CARD_TYPE_ADAPTIVE);
    char *atts, *body;
    struct card_message m;

    (void)state;
    atts = repeat(one, CARD_MAX_ATTACHMENTS + 1);
    atts[strlen(atts) - 1] = '\0';
    body = print("{\"type\":\"message\",\"attachments\":[%s]}", atts);
    expect_bad(body, BAD "attachments must have 1 to 10 items.");
    free(body);

    /* Ten is fine. */
    atts[strlen(one) * CARD_MAX_ATTACHMENTS - 1] = '\0';
    body = print("{\"type\":\"message\",\"attachments\":[%s]}", atts);
    parse_ok(body, &m);
    assert_int_equal(id_calls, CARD_MAX_ATTACHMENTS);
    card_message_free(&m);
    free(body);
    free(atts);
    free(one);
}

static void test_too_many_actions(void **state)
{
    char *actions = repeat("{\"@type\":\"OpenUri\",\"targets\":[{\"os\":\"default\","
                           "\"uri\":\"https://example.com\"}]},",
                           CARD_MAX_ACTIONS + 1);
    char *body;

    (void)state;
    actions[strlen(actions) - 1] = '\0';
    body = print("{\"text\":\"t\",\"potentialAction\":[%s]}", actions);
    expect_bad(body, BAD "potentialAction must have at most 4 items.");
    free(body);
    free(actions);
}

static void test_refuses_javascript_uri(void **state)
{
    (void)state;
    expect_bad("{\"summary\":\"s\",\"potentialAction\":[{\"@type\":\"OpenUri\",\"name\":\"x\","
               "\"targets\":[{\"os\":\"default\",\"uri\":\"https://ok.example\"},"
               "{\"os\":\"android\",\"uri\":\"javascript:alert(1)\"}]}]}",
               BAD "potentialAction[0].targets[1].uri must be an http or https URL.");
    expect_bad("{\"summary\":\"s\",\"potentialAction\":[{\"@type\":\"HttpPOST\","
               "\"target\":\"javascript:alert(1)\"}]}",
               BAD "potentialAction[0].target must be an http or https URL.");
}

/* Links without a host, or with a backslash that browsers read as '/', were let through by the
 * old prefix check. */
static void test_refuses_hostless_uri(void **state)
{
    (void)state;
    expect_bad("{\"summary\":\"s\",\"potentialAction\":[{\"@type\":\"OpenUri\",\"name\":\"x\","
               "\"targets\":[{\"os\":\"default\",\"uri\":\"https://?x\"}]}]}",
               BAD "potentialAction[0].targets[0].uri must be an http or https URL.");
    expect_bad("{\"summary\":\"s\",\"potentialAction\":[{\"@type\":\"HttpPOST\","
               "\"target\":\"https://#x\"}]}",
               BAD "potentialAction[0].target must be an http or https URL.");
    expect_bad("{\"summary\":\"s\",\"potentialAction\":[{\"@type\":\"HttpPOST\","
               "\"target\":\"https://ok.example\\\\@evil.example/\"}]}",
               BAD "potentialAction[0].target must be an http or https URL.");
}

static void test_refuses_nested_action_card(void **state)
{
    (void)state;
    expect_bad("{\"summary\":\"s\",\"sections\":[{\"potentialAction\":[{\"@type\":\"ActionCard\","
               "\"name\":\"outer\",\"actions\":[{\"@type\":\"HttpPOST\",\"target\":\"https://x\"},"
               "{\"@type\":\"ActionCard\",\"name\":\"inner\"}]}]}]}",
               BAD "sections[0].potentialAction[0].actions[1].@type must be OpenUri or HttpPOST "
                   "inside an ActionCard.");
}

/* n nested arrays around a MessageCard member: {"text":"t","x":[[[...]]]} has n + 1 levels. */
static char *nested(size_t n)
{
    char *open = repeat("[", n), *close = repeat("]", n);
    char *body = print("{\"text\":\"t\",\"x\":%s%s}", open, close);

    free(open);
    free(close);
    return body;
}

static void test_deep_nesting(void **state)
{
    struct card_message m;
    char *body;

    (void)state;
    /* 64 levels are fine, 65 are not. */
    body = nested(63);
    parse_ok(body, &m);
    card_message_free(&m);
    free(body);
    body = nested(64);
    expect_bad(body, BAD "The JSON nests deeper than 64 levels.");
    free(body);
    body = nested(99);
    expect_bad(body, BAD "The JSON nests deeper than 64 levels.");
    free(body);

    /* Objects count too, and so does depth inside an Adaptive Card. */
    {
        char *open = repeat("{\"a\":", 100), *close = repeat("}", 100);

        body = print("{\"type\":\"message\",\"attachments\":[{\"contentType\":\"%s\",\"content\":"
                     "{\"type\":\"AdaptiveCard\",\"body\":[%s1%s]}}]}",
                     CARD_TYPE_ADAPTIVE, open, close);
        expect_bad(body, BAD "The JSON nests deeper than 64 levels.");
        free(body);
        free(open);
        free(close);
    }

    /* Far deeper than jansson's own limit: refused by the parser, without a crash. */
    {
        char *open = repeat("[", 100000);

        body = print("{\"text\":\"t\",\"x\":%s", open);
        {
            struct sb_diag diag;

            memset(&m, 0, sizeof(m));
            assert_int_equal(parse(body, strlen(body), NULL, &m, &diag), SB_ERR_INVALID);
            assert_string_equal(diag.code, "badPayload");
            assert_non_null(strstr(diag.message, "maximum parsing depth"));
        }
        free(body);
        free(open);
    }
}

/* The attachments array is written by hand (card_output.c): it must be byte for byte what
 * jansson writes for the same array, for every character class a card's strings may hold and
 * with more than one attachment. */
static void test_attachments_as_jansson_writes_them(void **state)
{
    static const char *const strings[] = {
        "plain", "quote \\\" backslash \\\\ slash \\/", "\\u0001\\u001f\\b\\f\\t\\r\\n\\u007f",
        "caf\xc3\xa9 \xf0\x9f\x98\x80 \\u2028 \\ud83d\\ude00", "</attachment> \\u007f end"};

    (void)state;
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        struct card_message m;
        char *body = print(
            "{\"type\":\"message\",\"attachments\":[{\"contentType\":"
            "\"application/vnd.microsoft.card.adaptive\",\"content\":{\"type\":\"AdaptiveCard\","
            "\"version\":\"1.4\",\"body\":[{\"type\":\"TextBlock\",\"text\":\"%s\"}]}},"
            "{\"contentType\":\"application/vnd.microsoft.card.adaptive\",\"content\":{\"type\":"
            "\"AdaptiveCard\",\"version\":\"1.4\",\"body\":[{\"type\":\"TextBlock\","
            "\"text\":\"two %s\"}]}}]}",
            strings[i], strings[i]);
        json_t *arr, *want = json_array();
        char *expected;
        size_t k;
        json_t *att;

        parse_ok(body, &m);
        arr = json_loads(m.attachments, 0, NULL);
        assert_non_null(arr);
        assert_int_equal(json_array_size(arr), 2);
        json_array_foreach(arr, k, att)
        {
            json_t *card = json_loads(json_string_value(json_object_get(att, "content")), 0, NULL);
            char *content = json_dumps(card, JSON_COMPACT);

            assert_non_null(content);
            json_array_append_new(
                want, json_pack("{s:s, s:s, s:s, s:n}", "id",
                                json_string_value(json_object_get(att, "id")), "contentType",
                                json_string_value(json_object_get(att, "contentType")), "content",
                                content, "name"));
            free(content);
            json_decref(card);
        }
        expected = json_dumps(want, JSON_COMPACT);
        assert_string_equal(m.attachments, expected);
        free(expected);
        json_decref(want);
        json_decref(arr);
        card_message_free(&m);
        free(body);
    }
}

static void test_hostile_strings_preserved(void **state)
{
    /* Each written as JSON text and as the bytes it stands for. */
    static const struct {
        const char *json;
        const char *bytes;
    } hostile[] = {
        {"<script>alert(1)</script>", "<script>alert(1)</script>"},
        {"<img src=x onerror=alert(1)>&amp;", "<img src=x onerror=alert(1)>&amp;"},
        {"</attachment><attachment id=\\\"evil\\\">", "</attachment><attachment id=\"evil\">"},
        {"\\u0001\\u001f\\b\\f\\t\\r\\n\\u007f", "\x01\x1f\b\f\t\r\n\x7f"},
        {"quote \\\" backslash \\\\ slash \\/", "quote \" backslash \\ slash /"},
        {"caf\xc3\xa9 \xf0\x9f\x98\x80 \\u2028\\u2029 \\ud83d\\ude00",
         "caf\xc3\xa9 \xf0\x9f\x98\x80 \xe2\x80\xa8\xe2\x80\xa9 \xf0\x9f\x98\x80"},
        {"[link](javascript:alert(1)) **bold** {{x}} ${y} %s %n",
         "[link](javascript:alert(1)) **bold** {{x}} ${y} %s %n"},
    };

    (void)state;
    for (size_t i = 0; i < sizeof(hostile) / sizeof(hostile[0]); i++) {
        struct card_message m;
        char *body = print("{\"text\":\"%s\",\"title\":\"%s\",\"sections\":[{\"facts\":"
                           "[{\"name\":\"%s\",\"value\":\"%s\"}]}]}",
                           hostile[i].json, hostile[i].json, hostile[i].json, hostile[i].json);
        json_t *card, *fact;
        size_t n = strlen(hostile[i].bytes);

        parse_ok(body, &m);
        card = card_content(&m, 0);
        fact = json_array_get(
            json_object_get(json_array_get(json_object_get(card, "sections"), 0), "facts"), 0);
        assert_int_equal(json_string_length(json_object_get(card, "text")), n);
        assert_memory_equal(json_string_value(json_object_get(card, "text")), hostile[i].bytes, n);
        assert_memory_equal(json_string_value(json_object_get(fact, "value")), hostile[i].bytes, n);
        assert_memory_equal(json_string_value(json_object_get(fact, "name")), hostile[i].bytes, n);
        /* The summary comes from the title, untouched except for trimming. */
        assert_non_null(strstr(hostile[i].bytes, m.summary));
        json_decref(card);
        card_message_free(&m);
        free(body);
    }

    /* The same through text/plain. */
    {
        static const char raw[] = "<script>alert(\"x\")</script>\x01\\n";
        struct card_message m;
        json_t *card;

        parse_ok_ct(raw, "text/plain", &m);
        card = card_content(&m, 0);
        assert_string_equal(json_string_value(json_object_get(card, "text")), raw);
        assert_string_equal(m.summary, raw);
        json_decref(card);
        card_message_free(&m);
    }
}

static void expect_text_summary(const char *text, size_t want_len)
{
    struct card_message m;
    char *body = print("{\"text\":\"%s\"}", text);

    parse_ok(body, &m);
    assert_int_equal(strlen(m.summary), want_len);
    assert_memory_equal(m.summary, text, want_len);
    card_message_free(&m);
    free(body);
}

static void test_summary_truncation(void **state)
{
    char *a255 = repeat("a", 255), *a256 = repeat("a", 256), *s;

    (void)state;
    expect_text_summary(a256, 256);
    s = print("%sb", a256);
    expect_text_summary(s, 256);
    free(s);
    /* A two-byte character across the limit is left out whole. */
    s = print("%s\xc3\xa9xyz", a255);
    expect_text_summary(s, 255);
    free(s);
    /* Three-byte characters: 85 of them fill 255 bytes, the 86th would cross 256. */
    s = repeat("\xe2\x82\xac", 100);
    expect_text_summary(s, 255);
    free(s);
    /* Four-byte characters: 64 of them are exactly 256 bytes. */
    s = repeat("\xf0\x9f\x98\x80", 70);
    expect_text_summary(s, 256);
    free(s);
    /* Leading white space does not count against the limit. */
    {
        char *body = print("{\"summary\":\"   %sb\"}", a256);
        struct card_message m;

        parse_ok(body, &m);
        assert_string_equal(m.summary, a256);
        card_message_free(&m);
        free(body);
    }
    free(a255);
    free(a256);
}

static void test_invalid_utf8(void **state)
{
    static const char *const bodies[] = {
        "{\"text\":\"caf\xe9\"}",      "{\"text\":\"\xc0\xaf\"}",
        "{\"text\":\"\xed\xa0\x80\"}", "{\"text\":\"ok\",\"title\":\"\xf8\x88\x80\x80\x80\"}",
        "{\"te\xffxt\":\"ok\"}",
    };

    (void)state;
    for (size_t i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
        struct card_message m;
        struct sb_diag diag;

        assert_int_equal(parse(bodies[i], strlen(bodies[i]), "application/json", &m, &diag),
                         SB_ERR_INVALID);
        assert_string_equal(diag.code, "badPayload");
        assert_true(strncmp(diag.message, BAD "The body is not valid JSON", strlen(BAD) + 26) == 0);
        /* The answer quotes no raw byte of the input. */
        for (const char *p = diag.message; *p; p++)
            assert_true(*p >= 0x20 && *p < 0x7F);
        assert_null(m.attachments);
    }
}

static void test_empty_body(void **state)
{
    struct card_message m;
    struct sb_diag diag;

    (void)state;
    expect_bad("", BAD "The body is empty.");
    expect_bad(" \n\t\r ", BAD "The body is empty.");
    expect_fail_len("", 0, "text/plain", "badPayload", BAD "The body is empty.");
    assert_int_equal(parse(NULL, 0, NULL, &m, &diag), SB_ERR_INVALID);
    assert_string_equal(diag.message, BAD "The body is empty.");
    /* len is what counts, not a NUL in the middle. */
    expect_fail_len("{\"text\":\"t\"}", 0, NULL, "badPayload", BAD "The body is empty.");
}

static void test_body_not_nul_terminated(void **state)
{
    static const char body[] = "{\"text\":\"hello\"}XXXX";
    struct card_message m;
    struct sb_diag diag;

    (void)state;
    assert_int_equal(parse(body, 16, NULL, &m, &diag), SB_OK);
    assert_string_equal(m.summary, "hello");
    card_message_free(&m);
    assert_int_equal(parse(body, 12, "text/plain", &m, &diag), SB_OK);
    assert_string_equal(m.summary, "{\"text\":\"hel");
    card_message_free(&m);
}

static void test_free_is_safe(void **state)
{
    struct card_message m;

    (void)state;
    memset(&m, 0, sizeof(m));
    card_message_free(&m);
    card_message_free(NULL);
    parse_ok("{\"text\":\"x\"}", &m);
    card_message_free(&m);
    assert_null(m.summary);
    assert_null(m.body);
    assert_null(m.attachments);
    card_message_free(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_realistic_message_card),
        cmocka_unit_test(test_output_shape),
        cmocka_unit_test(test_text_only),
        cmocka_unit_test(test_summary_order),
        cmocka_unit_test(test_text_plain),
        cmocka_unit_test(test_envelope_one_adaptive),
        cmocka_unit_test(test_adaptive_mentions),
        cmocka_unit_test(test_envelope_three_adaptive),
        cmocka_unit_test(test_connector_envelope),
        cmocka_unit_test(test_lenient_parts),
        cmocka_unit_test(test_bad_payloads),
        cmocka_unit_test(test_summary_or_text_required),
        cmocka_unit_test(test_too_many_attachments),
        cmocka_unit_test(test_too_many_actions),
        cmocka_unit_test(test_refuses_javascript_uri),
        cmocka_unit_test(test_refuses_hostless_uri),
        cmocka_unit_test(test_refuses_nested_action_card),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_hostile_strings_preserved),
        cmocka_unit_test(test_attachments_as_jansson_writes_them),
        cmocka_unit_test(test_summary_truncation),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_empty_body),
        cmocka_unit_test(test_body_not_nul_terminated),
        cmocka_unit_test(test_free_is_safe),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
