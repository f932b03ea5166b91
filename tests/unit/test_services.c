/*
 * test_services.c: unit tests for src/services (service_card): the GitHub signature check, the
 * GitLab token check, the outcomes (post, ignore, refuse) and a few cards, the times and
 * durations the cards show, and how the cards are laid out for a reader (nothing said twice,
 * severity colour, one link per item). The e2e suite posts the real example payloads; these pin
 * the decisions in isolation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "services/internal.h"
#include "services/services.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SECRET "It's a Secret to Everybody"
/* GitHub's documented example: this body signed with this secret. */
#define GH_BODY "Hello, World!"
#define GH_SIG "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"

static struct sb_connector conn(const char *kind)
{
    struct sb_connector c;

    memset(&c, 0, sizeof(c));
    snprintf(c.kind, sizeof(c.kind), "%s", kind);
    snprintf(c.name, sizeof(c.name), "test");
    return c;
}

struct outcome {
    enum service_outcome o;
    int status;
    char why[256];
    json_t *card;
};

static struct outcome run(const char *kind, const char *settings, const struct service_headers *h,
                          const char *body)
{
    struct sb_connector c = conn(kind);
    struct outcome r;
    char *card = NULL;

    memset(&r, 0, sizeof(r));
    r.o = service_card(&c, settings, h, body, strlen(body), &card, &r.status, r.why, sizeof(r.why));
    if (card) {
        r.card = json_loads(card, 0, NULL);
        assert_non_null(r.card);
        free(card);
    }
    return r;
}

static void sign(const char *secret, const char *body, char out[72])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;

    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
    crypto_auth_hmacsha256_final(&st, mac);
    memcpy(out, "sha256=", 8); /* with its NUL; the hex follows at out + 7 */
    sodium_bin2hex(out + 7, 65, mac, sizeof(mac));
}

/* The value of the fact name in section sec, NULL when there is none. */
static const char *fact(const json_t *sec, const char *name)
{
    const json_t *f;
    size_t i;

    json_array_foreach(json_object_get(sec, "facts"), i, f)
    {
        if (strcmp(json_string_value(json_object_get(f, "name")), name) == 0)
            return json_string_value(json_object_get(f, "value"));
    }
    return NULL;
}

static const json_t *section(const json_t *card, size_t i)
{
    return json_array_get(json_object_get(card, "sections"), i);
}

static const char *str(const json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

static void times(void **state)
{
    char iso[SVC_ISO_LEN], d[48];
    long long t;

    (void)state;
    assert_true(svc_time("2026-11-25T09:00:00Z", &t));
    svc_iso_utc(t, iso);
    assert_string_equal(iso, "2026-11-25T09:00:00Z");
    /* Alertmanager's nanoseconds and an offset; GitLab's "UTC" form; a 4-digit offset. */
    assert_true(svc_time("2026-11-25T10:30:00.123456789+01:30", &t));
    svc_iso_utc(t, iso);
    assert_string_equal(iso, "2026-11-25T09:00:00Z");
    assert_true(svc_time("2016-08-12 15:26:29 UTC", &t));
    svc_iso_utc(t, iso);
    assert_string_equal(iso, "2016-08-12T15:26:29Z");
    assert_true(svc_time("2011-12-31T23:27:31-0200", &t));
    svc_iso_utc(t, iso);
    assert_string_equal(iso, "2012-01-01T01:27:31Z");
    assert_true(svc_time("2024-02-29T00:00:00z", &t));
    assert_int_equal(t, 1709164800);
    static const char *const bad[] = {"",
                                      "0001-01-01T00:00:00Z",
                                      "1969-12-31T23:59:59Z",
                                      "2026-13-01T00:00:00Z",
                                      "2026-04-31T00:00:00Z",
                                      "2100-02-29T00:00:00Z",
                                      "2026-11-25T09:00:00",
                                      "2026-11-25T09:00:00Zx",
                                      "2026-11-25T24:00:00Z",
                                      "2026-11-25T09:00:00+1:00",
                                      "2026-11-25",
                                      "yesterday"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        assert_false(svc_time(bad[i], &t));

    svc_duration(42, d, sizeof(d));
    assert_string_equal(d, "42 s");
    svc_duration(63, d, sizeof(d));
    assert_string_equal(d, "1 min 3 s");
    svc_duration(120, d, sizeof(d));
    assert_string_equal(d, "2 min");
    svc_duration(7440, d, sizeof(d));
    assert_string_equal(d, "2 h 4 min");
    svc_duration(3 * 86400 + 7200 + 59, d, sizeof(d));
    assert_string_equal(d, "3 d 2 h");
}

static void github_known_answer(void **state)
{
    char sig[72];

    (void)state;
    sign(SECRET, GH_BODY, sig);
    assert_string_equal(sig, GH_SIG);
}

static void github_signature(void **state)
{
    const char *settings = "{\"secret\":\"" SECRET "\"}";
    const char *body = "{\"zen\":\"Keep it logically awesome.\"}";
    struct service_headers h = {"ping", NULL, NULL, "application/json"};
    char sig[72];
    struct outcome r;

    (void)state;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_REFUSE);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.why, "required"));

    sign("another secret", body, sig);
    h.signature = sig;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_REFUSE);
    assert_int_equal(r.status, 401);
    assert_non_null(strstr(r.why, "does not match"));

    h.signature = "sha256=zz";
    assert_int_equal(run("github", settings, &h, body).status, 401);
    h.signature = "sha1=0123456789012345678901234567890123456789";
    assert_int_equal(run("github", settings, &h, body).status, 401);

    sign(SECRET, body, sig);
    h.signature = sig;
    r = run("github", settings, &h, body);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "Keep it logically awesome."));

    /* A configuration without a secret never accepts a post. */
    assert_int_equal(run("github", "{}", &h, body).status, 401);
    /* Upper-case hex is the same signature. */
    for (char *p = sig + 7; *p; p++)
        if (*p >= 'a' && *p <= 'f')
            *p = (char)(*p - 'a' + 'A');
    assert_int_equal(run("github", settings, &h, body).o, SERVICE_IGNORE);
}

static void github_outcomes(void **state)
{
    const char *settings =
        "{\"secret\":\"" SECRET "\",\"events\":[\"issues\",\"push\"],\"branches\":[\"main\"]}";
    struct service_headers h = {"issues", NULL, NULL, NULL};
    const char *opened = "{\"action\":\"opened\",\"issue\":{\"number\":7,\"title\":\"Broken "
                         "<b>\",\"html_url\":\"https://github.com/o/r/issues/7\",\"user\":{"
                         "\"login\":\"u\"},\"body\":\"x\"},\"repository\":{\"full_name\":\"o/r\"},"
                         "\"sender\":{\"login\":\"u\"}}";
    const char *push_dev = "{\"ref\":\"refs/heads/dev\",\"commits\":[],\"repository\":{"
                           "\"full_name\":\"o/r\"},\"pusher\":{\"name\":\"u\"}}";
    char sig[72];
    struct outcome r;

    (void)state;
    sign(SECRET, opened, sig);
    h.signature = sig;
    r = run("github", settings, &h, opened);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")),
                        "[o/r] Issue #7 opened: Broken <b>");
    assert_string_equal(json_string_value(json_object_get(r.card, "themeColor")), "2EB886");
    json_decref(r.card);

    h.event = "release";
    r = run("github", settings, &h, opened);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "not selected"));

    h.event = "push";
    sign(SECRET, push_dev, sig);
    r = run("github", settings, &h, push_dev);
    assert_int_equal(r.o, SERVICE_IGNORE);
    assert_non_null(strstr(r.why, "filtered out"));

    h.event = NULL;
    assert_int_equal(run("github", settings, &h, push_dev).status, 400);
    h.event = "push";
    sign(SECRET, "[1]", sig);
    assert_int_equal(run("github", settings, &h, "[1]").status, 400);
}

static void gitlab_token(void **state)
{
    const char *settings = "{\"secret\":\"gl-secret-token\"}";
    const char *issue = "{\"object_kind\":\"issue\",\"user\":{\"name\":\"A\"},\"project\":{"
                        "\"path_with_namespace\":\"g/p\"},\"object_attributes\":{\"iid\":3,"
                        "\"title\":\"T\",\"action\":\"close\",\"url\":\"https://gitlab.example/"
                        "g/p/-/issues/3\"}}";
    struct service_headers h = {"Issue Hook", NULL, NULL, NULL};
    struct outcome r;

    (void)state;
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-toke";
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-token ";
    assert_int_equal(run("gitlab", settings, &h, issue).status, 401);
    h.token = "gl-secret-token";
    r = run("gitlab", settings, &h, issue);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")),
                        "[g/p] Issue #3 closed: T");
    json_decref(r.card);
    h.event = "Push Hook"; /* header and body disagree */
    assert_int_equal(run("gitlab", settings, &h, issue).o, SERVICE_IGNORE);
}

static void alertmanager(void **state)
{
    struct service_headers h = {NULL, NULL, NULL, NULL};
    struct outcome r;
    char body[8192];
    int n;

    (void)state;
    assert_int_equal(run("alertmanager", "{}", &h, "{\"text\":\"x\"}").status, 400);
    /* Twelve alerts: nine sections and a tenth that counts the rest. */
    n = snprintf(body, sizeof(body),
                 "{\"version\":\"4\",\"status\":\"firing\",\"groupLabels\":{\"alertname\":\"A\"},"
                 "\"commonLabels\":{\"alertname\":\"A\",\"q\":\"a\\\"b\"},\"externalURL\":"
                 "\"http://am.example:9093\",\"alerts\":[");
    for (int i = 0; i < 12; i++)
        n += snprintf(body + n, sizeof(body) - (size_t)n,
                      "%s{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"i\":\"%d\"},"
                      "\"annotations\":{},\"startsAt\":\"2026-01-01T00:00:00Z\"}",
                      i ? "," : "", i);
    snprintf(body + n, sizeof(body) - (size_t)n, "]}");
    r = run("alertmanager", "{}", &h, body);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(json_string_value(json_object_get(r.card, "title")), "[FIRING:12] A");
    assert_int_equal(json_array_size(json_object_get(r.card, "sections")), 10);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(r.card, "potentialAction"), 1), "name")),
                        "Silence");
    assert_non_null(
        strstr(json_string_value(json_object_get(
                   json_array_get(json_object_get(
                                      json_array_get(json_object_get(r.card, "potentialAction"), 1),
                                      "targets"),
                                  0),
                   "uri")),
               "q%3D%22a%5C%22b%22"));
    json_decref(r.card);
}

/* A group of three alerts: what they share said once, each alert only what differs. */
static void alertmanager_layout(void **state)
{
    const char *body =
        "{\"version\":\"4\",\"status\":\"firing\",\"groupLabels\":{\"alertname\":\"HighLatency\"},"
        "\"commonLabels\":{\"alertname\":\"HighLatency\",\"team\":\"web\"},"
        "\"commonAnnotations\":{\"runbook_url\":\"https://runbooks.example.com/latency\"},"
        "\"externalURL\":\"http://am.example:9093\",\"alerts\":["
        "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"HighLatency\",\"team\":\"web\","
        "\"job\":\"db\",\"severity\":\"critical\"},\"annotations\":{\"summary\":\"db slow\","
        "\"runbook_url\":\"https://runbooks.example.com/latency\"},"
        "\"startsAt\":\"2026-11-25T09:00:00.5+01:00\",\"endsAt\":\"2026-11-25T08:20:00Z\","
        "\"generatorURL\":\"http://prom.example/graph?g0.expr=db\"},"
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"team\":\"web\","
        "\"job\":\"api\",\"severity\":\"warning\"},\"annotations\":{\"summary\":\"api slow\","
        "\"runbook_url\":\"https://runbooks.example.com/latency\"},"
        "\"startsAt\":\"2026-11-25T09:00:00.123456789Z\",\"endsAt\":\"0001-01-01T00:00:00Z\","
        "\"generatorURL\":\"http://prom.example/graph?g0.expr=api\"},"
        "{\"status\":\"firing\",\"labels\":{\"alertname\":\"HighLatency\",\"team\":\"web\","
        "\"job\":\"web\",\"severity\":\"info\"},\"annotations\":{\"summary\":\"web slow\","
        "\"runbook_url\":\"https://runbooks.example.com/latency\"},"
        "\"startsAt\":\"2026-11-25T09:05:00Z\",\"endsAt\":\"0001-01-01T00:00:00Z\"}]}";
    struct service_headers h = {NULL, NULL, NULL, NULL};
    const json_t *s0, *s1, *s3, *actions;
    struct outcome r;

    (void)state;
    r = run("alertmanager", "{}", &h, body);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(str(r.card, "title"), "[FIRING:2] HighLatency");
    /* The worst severity of the firing alerts (the resolved critical one does not count). */
    assert_string_equal(str(r.card, "themeColor"), "DBAB09");
    assert_int_equal(json_array_size(json_object_get(r.card, "sections")), 4);
    /* Once: the shared label; not the alertname of the title, not the runbook (a link). */
    s0 = section(r.card, 0);
    assert_string_equal(fact(s0, "team"), "web");
    assert_null(fact(s0, "alertname"));
    assert_null(fact(s0, "runbook_url"));
    assert_int_equal(json_array_size(json_object_get(s0, "facts")), 1);
    /* Firing alerts first, each headed by its own summary, only its own labels as facts. */
    s1 = section(r.card, 1);
    assert_string_equal(str(s1, "activityTitle"), "api slow");
    assert_null(json_object_get(s1, "activitySubtitle"));
    assert_string_equal(fact(s1, "job"), "api");
    assert_string_equal(fact(s1, "severity"), "warning");
    assert_null(fact(s1, "team"));
    assert_null(fact(s1, "summary"));
    assert_null(fact(s1, "alertname"));
    assert_null(fact(s1, "runbook_url"));
    assert_string_equal(fact(s1, "Started"), "2026-11-25T09:00:00Z");
    assert_null(fact(s1, "Ended"));
    assert_int_equal(json_array_size(json_object_get(s1, "potentialAction")), 1);
    assert_string_equal(str(section(r.card, 2), "activityTitle"), "web slow");
    assert_null(json_object_get(section(r.card, 2), "potentialAction"));
    /* The resolved alert last, said so, with when it ended and how long it lasted. */
    s3 = section(r.card, 3);
    assert_string_equal(str(s3, "activityTitle"), "db slow");
    assert_string_equal(str(s3, "activitySubtitle"), "resolved");
    assert_string_equal(fact(s3, "Started"), "2026-11-25T08:00:00Z");
    assert_string_equal(fact(s3, "Ended"), "2026-11-25T08:20:00Z");
    assert_string_equal(fact(s3, "Lasted"), "20 min");
    actions = json_object_get(r.card, "potentialAction");
    assert_int_equal(json_array_size(actions), 3);
    assert_string_equal(str(json_array_get(actions, 0), "name"), "Open Alertmanager");
    assert_string_equal(str(json_array_get(actions, 1), "name"), "Silence");
    assert_string_equal(str(json_array_get(actions, 2), "name"), "Runbook");
    json_decref(r.card);
}

/* The colour follows the worst firing severity; red when none is known; green resolved. */
static void alertmanager_severity(void **state)
{
    static const struct {
        const char *severities[2];
        const char *status;
        const char *color;
    } cases[] = {
        {{"critical", "warning"}, "firing", "D63333"}, {{"Warning", "info"}, "firing", "DBAB09"},
        {{"info", "low"}, "firing", "0366D6"},         {{"", ""}, "firing", "D63333"},
        {{"P1", "unknown"}, "firing", "D63333"},       {{"critical", ""}, "resolved", "2EB886"},
    };
    struct service_headers h = {NULL, NULL, NULL, NULL};
    char body[1024];

    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct outcome r;

        snprintf(body, sizeof(body),
                 "{\"status\":\"%s\",\"groupLabels\":{\"alertname\":\"A\"},\"commonLabels\":{},"
                 "\"alerts\":[{\"status\":\"%s\",\"labels\":{\"alertname\":\"A\",\"severity\":"
                 "\"%s\"}},{\"status\":\"%s\",\"labels\":{\"alertname\":\"A\",\"severity\":"
                 "\"%s\"}}]}",
                 cases[i].status, cases[i].status, cases[i].severities[0], cases[i].status,
                 cases[i].severities[1]);
        r = run("alertmanager", "{}", &h, body);
        assert_int_equal(r.o, SERVICE_POST);
        assert_string_equal(str(r.card, "themeColor"), cases[i].color);
        json_decref(r.card);
    }
}

/* A GitLab pipeline: nothing of the title repeated, duration in words, the finish time as ISO
 * UTC, the commit linked once, the jobs that really failed. */
static void gitlab_pipeline(void **state)
{
    const char *body =
        "{\"object_kind\":\"pipeline\",\"user\":{\"name\":\"Administrator\"},\"project\":{"
        "\"path_with_namespace\":\"g/p\",\"web_url\":\"https://gitlab.example/g/p\"},"
        "\"object_attributes\":{\"id\":31,\"ref\":\"main\",\"tag\":false,\"status\":\"failed\","
        "\"duration\":63,\"finished_at\":\"2016-08-12 15:26:29 UTC\",\"url\":"
        "\"https://gitlab.example/g/p/-/pipelines/31\"},\"commit\":{\"id\":"
        "\"bcbb5ec396a2c0f828686f14fac9b80b780504f2\",\"message\":\"Fix *all* [the] "
        "things\\n\\nbody\","
        "\"url\":\"https://gitlab.example/g/p/-/commit/bcbb5ec3\"},\"builds\":["
        "{\"name\":\"rspec\",\"stage\":\"test\",\"status\":\"failed\"},"
        "{\"name\":\"lint\",\"stage\":\"test\",\"status\":\"failed\"},"
        "{\"name\":\"lint\",\"stage\":\"test\",\"status\":\"success\"},"
        "{\"name\":\"rspec\",\"stage\":\"test\",\"status\":\"failed\"},"
        "{\"name\":\"build\",\"stage\":\"build\",\"status\":\"success\"}]}";
    const char *settings = "{\"secret\":\"gl-secret-token\"}";
    struct service_headers h = {"Pipeline Hook", NULL, "gl-secret-token", NULL};
    const json_t *s0;
    struct outcome r;

    (void)state;
    r = run("gitlab", settings, &h, body);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(str(r.card, "title"), "[g/p] Pipeline #31 failed on main");
    s0 = section(r.card, 0);
    assert_string_equal(str(s0, "activityTitle"), "Administrator");
    assert_null(fact(s0, "Project"));
    assert_null(fact(s0, "Status"));
    assert_null(fact(s0, "Branch"));
    assert_string_equal(fact(s0, "Duration"), "1 min 3 s");
    assert_string_equal(fact(s0, "Finished"), "2016-08-12T15:26:29Z");
    assert_string_equal(fact(s0, "Commit"), "[bcbb5ec3](https://gitlab.example/g/p/-/commit/"
                                            "bcbb5ec3) Fix \\*all\\* \\[the\\] things");
    assert_string_equal(fact(s0, "Failed jobs"), "rspec (test)");
    assert_int_equal(json_array_size(json_object_get(r.card, "potentialAction")), 1);
    json_decref(r.card);

    /* GitLab's "passed with warnings" is amber; a commit URL that cannot be a link is left out. */
    r = run("gitlab", settings, &h,
            "{\"object_kind\":\"pipeline\",\"project\":{\"path_with_namespace\":\"g/p\"},"
            "\"object_attributes\":{\"id\":32,\"ref\":\"main\",\"status\":\"success\","
            "\"detailed_status\":\"passed with warnings\",\"finished_at\":\"soon\"},"
            "\"commit\":{\"id\":\"abc\",\"message\":\"m\",\"url\":"
            "\"https://gitlab.example/a) b\"}}");
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(str(r.card, "themeColor"), "DBAB09");
    s0 = section(r.card, 0);
    assert_string_equal(fact(s0, "Commit"), "abc m");
    assert_string_equal(fact(s0, "Finished"), "soon"); /* not a time: shown as it came */
    assert_null(fact(s0, "Duration"));
    assert_null(fact(s0, "Failed jobs"));
    json_decref(r.card);
}

/* GitHub cards: the title says repository, event and actor; no fact repeats them. */
static void github_layout(void **state)
{
    const char *settings = "{\"secret\":\"" SECRET "\"}";
    const char *issue = "{\"action\":\"closed\",\"issue\":{\"number\":7,\"title\":\"T\","
                        "\"html_url\":\"https://github.com/o/r/issues/7\",\"user\":{\"login\":"
                        "\"author\"}},\"repository\":{\"full_name\":\"o/r\"},\"sender\":{"
                        "\"login\":\"closer\"}}";
    const char *runs = "{\"action\":\"completed\",\"workflow_run\":{\"name\":\"CI\",\"conclusion\":"
                       "\"timed_out\",\"head_branch\":\"main\",\"run_number\":36,\"event\":"
                       "\"push\",\"run_started_at\":\"2026-11-25T09:00:00Z\",\"updated_at\":"
                       "\"2026-11-25T09:02:05Z\",\"html_url\":\"https://github.com/o/r/actions/"
                       "runs/1\",\"head_commit\":{\"message\":\"Fix\\nmore\"}},\"repository\":{"
                       "\"full_name\":\"o/r\"},\"sender\":{\"login\":\"octo\"}}";
    struct service_headers h = {"issues", NULL, NULL, NULL};
    const json_t *s0;
    char sig[72];
    struct outcome r;

    (void)state;
    sign(SECRET, issue, sig);
    h.signature = sig;
    r = run("github", settings, &h, issue);
    assert_int_equal(r.o, SERVICE_POST);
    s0 = section(r.card, 0);
    assert_string_equal(str(s0, "activityTitle"), "closer");
    assert_null(json_object_get(s0, "activitySubtitle")); /* the verb is in the title */
    assert_null(fact(s0, "Repository"));
    assert_string_equal(fact(s0, "Author"), "author");
    json_decref(r.card);

    h.event = "workflow_run";
    sign(SECRET, runs, sig);
    r = run("github", settings, &h, runs);
    assert_int_equal(r.o, SERVICE_POST);
    assert_string_equal(str(r.card, "title"), "[o/r] Workflow CI: timed_out on main");
    assert_string_equal(str(r.card, "themeColor"), "D63333");
    s0 = section(r.card, 0);
    assert_string_equal(str(s0, "activityTitle"), "octo");
    for (const char *const *n =
             (const char *const[]){"Repository", "Workflow", "Result", "Branch", NULL};
         *n; n++)
        assert_null(fact(s0, *n));
    assert_string_equal(fact(s0, "Run"), "#36");
    assert_string_equal(fact(s0, "Commit"), "Fix");
    assert_string_equal(fact(s0, "Started"), "2026-11-25T09:00:00Z");
    assert_string_equal(fact(s0, "Duration"), "2 min 5 s");
    json_decref(r.card);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(github_known_answer), cmocka_unit_test(github_signature),
        cmocka_unit_test(github_outcomes),     cmocka_unit_test(gitlab_token),
        cmocka_unit_test(alertmanager),        cmocka_unit_test(times),
        cmocka_unit_test(alertmanager_layout), cmocka_unit_test(alertmanager_severity),
        cmocka_unit_test(gitlab_pipeline),     cmocka_unit_test(github_layout),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
