/*
 * test_card_actions.c: finding a card's service actions by attachment id and JSON Pointer,
 * substituting inputs with the escaping of the body's type, removing actions for the policy,
 * replacing a card with a service's update, and connector apps' valid domains.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "actions/actions.h"
#include "connectors/configs.h"
#include "cards/card_actions.h"
#include "cards/cards.h"

#include <stdlib.h>
#include <string.h>

#define ATT "11111111-1111-4111-8111-111111111111"

/* One MessageCard and one Adaptive Card attachment, as the store keeps them. */
static char *attachments(void)
{
    json_t *mc = json_pack(
        "{s:s,s:s,s:[{s:s,s:s,s:[{s:s,s:s}],s:[{s:s,s:s,s:s,s:s}]},{s:s,s:s,s:s},{s:s,s:s,s:[{s:s,"
        "s:s}]}],"
        "s:[{s:[{s:s,s:s,s:s,s:s,s:s}]}]}",
        "@type", "MessageCard", "text", "hello", "potentialAction", "@type", "ActionCard", "name",
        "Comment", "inputs", "@type", "TextInput", "id", "comment", "actions", "@type", "HttpPOST",
        "name", "Save", "target", "https://svc.example/save?c={{comment.value}}", "body",
        "{\"c\":\"{{comment.value}}\"}", "@type", "HttpPOST", "name", "Approve", "target",
        "https://svc.example/approve", "@type", "OpenUri", "name", "Open", "targets", "os",
        "default", "uri", "https://example.com", "sections", "potentialAction", "@type", "HttpPOST",
        "name", "S", "target", "https://svc.example/s", "body", "a={{x.value}}", "bodyContentType",
        "application/x-www-form-urlencoded");
    json_t *ac = json_pack(
        "{s:s,s:s,s:[{s:s,s:[{s:s,s:s,s:s}]}],s:[{s:s,s:s,s:s,s:s,s:[{s:s,s:s}]},{"
        "s:s,s:s}]}",
        "type", "AdaptiveCard", "version", "1.0", "body", "type", "ActionSet", "actions", "type",
        "Action.Http", "method", "GET", "url", "https://svc.example/get", "actions", "type",
        "Action.Http", "method", "post", "url", "https://svc.example/post", "body",
        "{{name.value}}", "headers", "name", "Authorization", "value", "", "type", "Action.OpenUrl",
        "url", "https://example.com");
    char *mct = json_dumps(mc, JSON_COMPACT), *act = json_dumps(ac, JSON_COMPACT);
    json_t *list =
        json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "id", ATT, "contentType", CARD_TYPE_MESSAGECARD,
                  "content", mct, "id", "22222222-2222-4222-8222-222222222222", "contentType",
                  CARD_TYPE_ADAPTIVE, "content", act);
    char *text = json_dumps(list, JSON_COMPACT);

    json_decref(mc);
    json_decref(ac);
    json_decref(list);
    free(mct);
    free(act);
    assert_non_null(text);
    return text;
}

static void test_find(void **state)
{
    char *atts = attachments();
    struct card_action a;
    struct sb_diag d;

    (void)state;
    assert_int_equal(card_action_find(atts, ATT ":/potentialAction/0/actions/0", &a, &d), SB_OK);
    assert_false(a.adaptive);
    assert_string_equal(a.method, "POST");
    assert_string_equal(a.url, "https://svc.example/save?c={{comment.value}}");
    assert_string_equal(a.content_type, "application/json");
    card_action_free(&a);
    assert_int_equal(card_action_find(atts, ATT ":/potentialAction/1", &a, &d), SB_OK);
    assert_string_equal(a.body, "");
    card_action_free(&a);
    assert_int_equal(card_action_find(atts, ATT ":/sections/0/potentialAction/0", &a, &d), SB_OK);
    assert_string_equal(a.content_type, "application/x-www-form-urlencoded");
    card_action_free(&a);
    assert_int_equal(
        card_action_find(atts, "22222222-2222-4222-8222-222222222222:/actions/0", &a, &d), SB_OK);
    assert_true(a.adaptive);
    assert_string_equal(a.method, "POST");
    assert_int_equal(json_array_size(a.headers), 1);
    card_action_free(&a);
    assert_int_equal(
        card_action_find(atts, "22222222-2222-4222-8222-222222222222:/body/0/actions/0", &a, &d),
        SB_OK);
    assert_string_equal(a.method, "GET");
    card_action_free(&a);
    /* Not service actions, or nothing there. */
    const char *bad[] = {ATT ":/potentialAction/2",
                         ATT ":/potentialAction/0",
                         ATT ":/text",
                         ATT ":/potentialAction/9",
                         ATT ":/potentialAction/01",
                         ATT ":potentialAction/1",
                         ATT ":",
                         "22222222-2222-4222-8222-222222222222:/actions/1",
                         "33333333-3333-4333-8333-333333333333:/potentialAction/1",
                         "no-colon",
                         NULL};
    for (const char **b = bad; *b; b++) {
        memset(&d, 0, sizeof(d));
        if (card_action_find(atts, *b, &a, &d) != SB_ERR_NOT_FOUND)
            fail_msg("%s was found", *b);
        assert_string_equal(d.code, "actionNotFound");
    }
    free(atts);
}

/* Actions named by their own id (MessageCard "@id", Adaptive Card "id"); the pointer form
 * stays for the others; an id that two actions share names neither. */
static void test_find_by_id(void **state)
{
    static const char mc[] =
        "{\"@type\":\"MessageCard\",\"text\":\"t\",\"potentialAction\":["
        "{\"@type\":\"HttpPOST\",\"@id\":\"approve\",\"name\":\"A\",\"target\":\"https://"
        "svc.example/a\"},"
        "{\"@type\":\"ActionCard\",\"@id\":\"card\",\"name\":\"C\",\"actions\":["
        "{\"@type\":\"HttpPOST\",\"@id\":\"save\",\"name\":\"S\",\"target\":\"https://"
        "svc.example/s\"}]},"
        "{\"@type\":\"OpenUri\",\"@id\":\"open\",\"name\":\"O\",\"targets\":[]},"
        "{\"@type\":\"HttpPOST\",\"name\":\"N\",\"target\":\"https://svc.example/n\"},"
        "{\"@type\":\"HttpPOST\",\"@id\":\"twice\",\"name\":\"T\",\"target\":\"https://"
        "svc.example/t\"}]}";
    static const char ac[] =
        "{\"type\":\"AdaptiveCard\",\"version\":\"1.0\",\"body\":[{\"type\":\"ActionSet\","
        "\"actions\":[{\"type\":\"Action.Http\",\"id\":\"go\",\"method\":\"GET\",\"url\":"
        "\"https://svc.example/go\"}]}],\"actions\":[{\"type\":\"Action.Http\",\"id\":"
        "\"twice\",\"method\":\"POST\",\"url\":\"https://svc.example/t2\"},{\"type\":"
        "\"Action.Http\",\"@id\":\"approve2\",\"url\":\"https://svc.example/x\"},{\"type\":"
        "\"Action.OpenUrl\",\"id\":\"link\",\"url\":\"https://example.com\"}]}";
    json_t *list =
        json_pack("[{s:s,s:s,s:s},{s:s,s:s,s:s}]", "id", ATT, "contentType", CARD_TYPE_MESSAGECARD,
                  "content", mc, "id", "22222222-2222-4222-8222-222222222222", "contentType",
                  CARD_TYPE_ADAPTIVE, "content", ac);
    char *atts = json_dumps(list, JSON_COMPACT);
    struct card_action a;
    struct sb_diag d;

    (void)state;
    json_decref(list);
    assert_non_null(atts);
    assert_int_equal(card_action_find(atts, "approve", &a, &d), SB_OK);
    assert_false(a.adaptive);
    assert_string_equal(a.attachment_id, ATT);
    assert_string_equal(a.url, "https://svc.example/a");
    card_action_free(&a);
    assert_int_equal(card_action_find(atts, "save", &a, &d), SB_OK);
    assert_string_equal(a.url, "https://svc.example/s");
    card_action_free(&a);
    assert_int_equal(card_action_find(atts, "go", &a, &d), SB_OK);
    assert_true(a.adaptive);
    assert_string_equal(a.attachment_id, "22222222-2222-4222-8222-222222222222");
    assert_string_equal(a.method, "GET");
    assert_string_equal(a.url, "https://svc.example/go");
    card_action_free(&a);
    /* The pointer form still names actions without an id, and those that share one. */
    assert_int_equal(card_action_find(atts, ATT ":/potentialAction/3", &a, &d), SB_OK);
    assert_string_equal(a.url, "https://svc.example/n");
    card_action_free(&a);
    assert_int_equal(card_action_find(atts, ATT ":/potentialAction/4", &a, &d), SB_OK);
    assert_string_equal(a.url, "https://svc.example/t");
    card_action_free(&a);
    /* Not a service action, the other kind's id key, shared, or unknown. */
    const char *bad[] = {"open", "card", "link", "approve2", "twice", "nothing", "", NULL};
    for (const char **b = bad; *b; b++) {
        memset(&d, 0, sizeof(d));
        if (card_action_find(atts, *b, &a, &d) != SB_ERR_NOT_FOUND)
            fail_msg("%s was found", *b);
        assert_string_equal(d.code, "actionNotFound");
    }
    free(atts);
}

static void test_substitute(void **state)
{
    json_t *in = json_pack("{s:s,s:s}", "comment", "say \"hi\"\\\n<b>&", "x", "a b/é");
    char *out = NULL;

    (void)state;
    assert_int_equal(
        card_action_substitute("{\"c\":\"{{comment.value}}\",\"u\":\"{{none.value}}\"}", in,
                               CARD_SUBST_JSON, &out),
        SB_OK);
    assert_string_equal(out, "{\"c\":\"say \\\"hi\\\"\\\\\\u000a<b>&\",\"u\":\"\"}");
    {
        json_t *parsed = json_loads(out, 0, NULL);
        assert_string_equal(json_string_value(json_object_get(parsed, "c")), "say \"hi\"\\\n<b>&");
        json_decref(parsed);
    }
    free(out);
    assert_int_equal(card_action_substitute("a={{x.value}}&b={{x}}{{", in, CARD_SUBST_URL, &out),
                     SB_OK);
    assert_string_equal(out, "a=a%20b%2F%C3%A9&b={{x}}{{");
    free(out);
    assert_int_equal(card_action_substitute("{{x.value}}", in, CARD_SUBST_RAW, &out), SB_OK);
    assert_string_equal(out, "a b/é");
    free(out);
    assert_int_equal(card_subst_for("application/json; charset=utf-8"), CARD_SUBST_JSON);
    assert_int_equal(card_subst_for("application/x-www-form-urlencoded"), CARD_SUBST_URL);
    assert_int_equal(card_subst_for("text/plain"), CARD_SUBST_RAW);
    json_decref(in);
}

static void test_strip(void **state)
{
    char *atts = attachments();
    json_t *msg = json_pack("{s:s,s:o}", "id", "m", "attachments", json_loads(atts, 0, NULL));
    json_t *mc, *ac;
    bool changed = false;

    (void)state;
    assert_true(card_actions_present(atts));
    assert_int_equal(card_actions_strip(msg, &changed), SB_OK);
    assert_true(changed);
    mc = json_loads(json_string_value(json_object_get(
                        json_array_get(json_object_get(msg, "attachments"), 0), "content")),
                    0, NULL);
    ac = json_loads(json_string_value(json_object_get(
                        json_array_get(json_object_get(msg, "attachments"), 1), "content")),
                    0, NULL);
    /* MessageCard: only the OpenUri is left; the section's HttpPOST is gone. */
    assert_int_equal(json_array_size(json_object_get(mc, "potentialAction")), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(mc, "potentialAction"), 0), "@type")),
                        "OpenUri");
    assert_int_equal(json_array_size(json_object_get(
                         json_array_get(json_object_get(mc, "sections"), 0), "potentialAction")),
                     0);
    assert_string_equal(json_string_value(json_object_get(mc, "text")), "hello");
    /* Adaptive: Action.Http gone at every depth, OpenUrl kept. */
    assert_int_equal(json_array_size(json_object_get(ac, "actions")), 1);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(json_object_get(ac, "body"), 0), "actions")),
        0);
    {
        char *again = json_dumps(json_object_get(msg, "attachments"), JSON_COMPACT);
        assert_false(card_actions_present(again));
        free(again);
    }
    json_decref(mc);
    json_decref(ac);
    json_decref(msg);
    free(atts);
}

static void test_replace(void **state)
{
    char *atts = attachments(), *out = NULL;
    struct sb_diag d;
    const char *mc = "{\"@type\":\"MessageCard\",\"text\":\"new\"}";
    const char *ad = "{\"type\":\"AdaptiveCard\",\"version\":\"1.0\",\"body\":[]}";
    json_t *list;

    (void)state;
    memset(&d, 0, sizeof(d));
    assert_int_equal(card_replace(atts, ATT, mc, strlen(mc), 1000, &out, &d), SB_OK);
    list = json_loads(out, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "content")), mc);
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "id")), ATT);
    assert_int_equal(json_array_size(list), 2);
    json_decref(list);
    free(out);
    /* The kind must match the card it replaces, fit, and be JSON. */
    assert_int_equal(card_replace(atts, ATT, ad, strlen(ad), 1000, &out, &d), SB_ERR_INVALID);
    assert_int_equal(
        card_replace(atts, "22222222-2222-4222-8222-222222222222", mc, strlen(mc), 1000, &out, &d),
        SB_ERR_INVALID);
    assert_int_equal(
        card_replace(atts, "22222222-2222-4222-8222-222222222222", ad, strlen(ad), 1000, &out, &d),
        SB_OK);
    free(out);
    assert_int_equal(card_replace(atts, ATT, mc, strlen(mc), 10, &out, &d), SB_ERR_INVALID);
    assert_int_equal(card_replace(atts, ATT, "nope", 4, 1000, &out, &d), SB_ERR_INVALID);
    assert_string_equal(d.code, "badCardUpdate");
    assert_int_equal(
        card_replace(atts, "33333333-3333-4333-8333-333333333333", mc, strlen(mc), 1000, &out, &d),
        SB_ERR_NOT_FOUND);
    free(atts);
}

static void test_valid_domains(void **state)
{
    const char *d = "[\"contoso.com\",\"*.fabrikam.com\",\"api.example.org:8443\"]";

    (void)state;
    assert_true(config_domain_listed(d, "contoso.com", 443));
    assert_true(config_domain_listed(d, "CONTOSO.com", 443));
    assert_false(config_domain_listed(d, "evil-contoso.com", 443));
    assert_false(config_domain_listed(d, "www.contoso.com", 443));
    assert_true(config_domain_listed(d, "a.fabrikam.com", 443));
    assert_true(config_domain_listed(d, "a.b.fabrikam.com", 443));
    assert_false(config_domain_listed(d, "fabrikam.com", 443));
    assert_false(config_domain_listed(d, "afabrikam.com", 443));
    assert_true(config_domain_listed(d, "api.example.org", 8443));
    assert_false(config_domain_listed(d, "api.example.org", 443));
    assert_false(config_domain_listed("[]", "contoso.com", 443));
    assert_false(config_domain_listed("not json", "contoso.com", 443));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),       cmocka_unit_test(test_find_by_id),
        cmocka_unit_test(test_substitute), cmocka_unit_test(test_strip),
        cmocka_unit_test(test_replace),    cmocka_unit_test(test_valid_domains),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
