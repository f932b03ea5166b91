/*
 * test_allocfail.c: allocation-failure tests for the parsers that read what strangers send: the
 * card parser and the card-action helpers (src/cards), the service connectors' card builders
 * (GitHub, GitLab, Alertmanager payloads with multi-byte text at every cut), the URL parsers
 * (webhook URLs, the configuration pages' URL rules and validDomains, --listen and the URL
 * flags, the outbound client's URL helpers, the address classifier) and the app package
 * (manifest) validator.
 *
 * Each operation runs once with a working allocator (its baseline), then again with an allocator
 * that fails at the N-th call, for N = 1, 2, ... until a run makes fewer than N calls; each N
 * twice: failing only that call, and failing it and every later one. Every run must end without
 * a crash (ASan and UBSan in the asan variant), must free everything it allocated (checked here
 * per run, and by LeakSanitizer at exit in the asan variant), and must either give the
 * baseline's result or fail; a run that succeeds must produce exactly the baseline's output.
 *
 * The failing allocator replaces malloc, calloc, realloc, free, strdup and strndup for our own
 * objects (the Makefile links this test with -Wl,--wrap=... for those names), and serves jansson
 * (json_set_alloc_funcs) and libcurl (curl_global_init_mem) too. libzip allocates with the C
 * library directly and is not failed here. None of the code under test uses asprintf, vasprintf
 * or open_memstream.
 *
 * Inputs: the fuzz corpora under tests/fuzz/corpus (real cards, a valid and two hostile app
 * packages, configuration-page URLs), found from the test binary's path
 * (build/<variant>/tests/test_allocfail), plus URLs and service payloads written here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "cards/card_actions.h"
#include "cards/cards.h"
#include "connectors/configs.h"
#include "connectors/package.h"
#include "core/config.h"
#include "net/addr.h"
#include "net/fetch.h"
#include "net/url.h"
#include "proxy/proxy.h"
#include "services/services.h"
#include "store/store.h"
#include "webhooks/url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the failing allocator ---- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
void __real_free(void *p);
char *__real_strdup(const char *s);
char *__real_strndup(const char *s, size_t n);
void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
void __wrap_free(void *p);
char *__wrap_strdup(const char *s);
char *__wrap_strndup(const char *s, size_t n);

/* Test state (single-threaded): whether allocations are counted, which one fails, and the
 * blocks handed out while counting that are not yet freed. */
static struct {
    bool armed;
    bool fail_rest;        /* fail every call from fail_at on, not only that one */
    unsigned long calls;   /* allocation calls since arming */
    unsigned long fail_at; /* 0: none fails */
    bool failed;           /* a call was failed in this run */
    bool json_failed;      /* one of jansson's calls was failed in this run */
    void **live;           /* allocated with __real_*: never tracked itself */
    size_t nlive, cap;
} A;

static bool should_fail(void)
{
    if (!A.armed)
        return false;
    A.calls++;
    if (A.fail_at && (A.calls == A.fail_at || (A.fail_rest && A.calls > A.fail_at))) {
        A.failed = true;
        return true;
    }
    return false;
}

static void track(void *p)
{
    if (!p || !A.armed)
        return;
    if (A.nlive == A.cap) {
        size_t cap = A.cap ? A.cap * 2 : 1024;
        void **grown = __real_realloc(A.live, cap * sizeof(*grown));
        if (!grown)
            abort(); /* the test's own bookkeeping: nothing sensible to do */
        A.live = grown;
        A.cap = cap;
    }
    A.live[A.nlive++] = p;
}

/* Forgets p; false when it was not handed out while armed (allocated before, or by a library
 * that does not use this allocator). */
static bool untrack(void *p)
{
    for (size_t i = A.nlive; p && i-- > 0;) {
        if (A.live[i] == p) {
            A.live[i] = A.live[--A.nlive];
            return true;
        }
    }
    return false;
}

void *__wrap_malloc(size_t n)
{
    void *p;

    if (should_fail())
        return NULL;
    p = __real_malloc(n);
    track(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    void *p;

    if (should_fail())
        return NULL;
    p = __real_calloc(n, size);
    track(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    bool was_tracked;
    void *q;

    if (should_fail())
        return NULL; /* p stays valid, as realloc promises */
    was_tracked = untrack(p);
    q = __real_realloc(p, n);
    if (!q && was_tracked)
        track(p);
    else if (q && (was_tracked || !p))
        track(q);
    return q;
}

void __wrap_free(void *p)
{
    untrack(p);
    __real_free(p);
}

char *__wrap_strdup(const char *s)
{
    char *p;

    if (should_fail())
        return NULL;
    p = __real_strdup(s);
    track(p);
    return p;
}

char *__wrap_strndup(const char *s, size_t n)
{
    char *p;

    if (should_fail())
        return NULL;
    p = __real_strndup(s, n);
    track(p);
    return p;
}

/* jansson's allocator. jansson 2.14 ignores a failed growth of its lexer's buffer (load.c,
 * lex_save) and then silently drops a character of the text it reads, so a single failure
 * there corrupts a parse that goes on to succeed. A real shortage persists: once one of
 * jansson's calls has failed in a run, its later calls fail too. (Our own code gets no such
 * allowance: a single failure of one of its calls must not change a result that succeeds.) */
static void *json_alloc(size_t n)
{
    void *p;

    if (A.armed && A.json_failed)
        return NULL;
    p = __wrap_malloc(n);
    if (!p && A.armed)
        A.json_failed = true;
    return p;
}

/* ---- running an operation under failures ---- */

/* An operation: runs once, frees what it made, writes a description of its result (return
 * value and output) into out. Returns true when it succeeded. */
typedef bool (*op_fn)(const void *arg, char *out, size_t cap);

#define DESC_MAX 8192

/* Runs op with the N-th allocation failing for every N; returns the number of runs and counts
 * the broken promises in *problems (printing each when verbose). */
static unsigned long sweep(const char *name, op_fn op, const void *arg, bool verbose,
                           unsigned *problems)
{
    static char base[DESC_MAX], got[DESC_MAX];
    unsigned long runs = 0;
    bool ok, base_ok;

    /* Baseline (and warm-up of any library state created on first use), not counted. */
    memset(base, 0, sizeof(base));
    base_ok = op(arg, base, sizeof(base));
    for (int rest = 0; rest <= 1; rest++) {
        for (unsigned long n = 1;; n++) {
            const char *how = rest ? " (and every later one)" : "";

            A.fail_at = n;
            A.fail_rest = rest;
            A.calls = 0;
            A.failed = false;
            A.json_failed = false;
            A.nlive = 0;
            memset(got, 0, sizeof(got));
            A.armed = true;
            ok = op(arg, got, sizeof(got));
            A.armed = false;
            runs++;
            if (A.nlive) {
                if (verbose)
                    print_message("%s: %zu block(s) leaked when allocation %lu failed%s\n", name,
                                  A.nlive, n, how);
                ++*problems;
            }
            if (ok && !base_ok) {
                if (verbose)
                    print_message("%s: allocation %lu failed%s, and it succeeded where it fails "
                                  "without failures:\n  %s\n",
                                  name, n, how, got);
                ++*problems;
            } else if (ok && strcmp(got, base) != 0) {
                if (verbose)
                    print_message("%s: allocation %lu failed%s, yet it succeeded with another "
                                  "result:\n  %s\nnot\n  %s\n",
                                  name, n, how, got, base);
                ++*problems;
            }
            if (!A.failed)
                break; /* fewer than n calls: every failure point was visited */
        }
    }
    A.fail_at = 0;
    A.nlive = 0;
    return runs;
}

static unsigned long run_failing(const char *name, op_fn op, const void *arg)
{
    unsigned problems = 0;
    unsigned long runs = sweep(name, op, arg, true, &problems);

    if (problems)
        fail_msg("%s: %u problem(s) under allocation failures", name, problems);
    return runs;
}

/* run_failing for an operation that succeeds when nothing fails (so that the failures cut into
 * the whole of it, not into an early refusal). */
static unsigned long run_failing_ok(const char *name, op_fn op, const void *arg)
{
    static char desc[DESC_MAX];

    if (!op(arg, desc, sizeof(desc)))
        fail_msg("%s fails even without allocation failures: %s", name, desc);
    return run_failing(name, op, arg);
}

/* ---- the harness itself: it must see a leak and a wrong success ---- */

static void *kept[8]; /* what op_leaky lost, freed by the test */
static size_t nkept;

/* Loses its first block when the second allocation fails. */
static bool op_leaky(const void *arg, char *out, size_t cap)
{
    char *a = malloc(8), *b = a ? strdup("b") : NULL;

    (void)arg;
    if (a && !b && nkept < sizeof(kept) / sizeof(kept[0]))
        kept[nkept++] = a; /* "leaked": no longer freed by the operation */
    else
        free(a);
    free(b);
    snprintf(out, cap, "%d", b != NULL);
    return b != NULL;
}

/* Reports success with other output when an allocation fails. */
static bool op_wrong(const void *arg, char *out, size_t cap)
{
    char *a = calloc(1, 8);

    (void)arg;
    snprintf(out, cap, "%s", a ? "full" : "cut");
    free(a);
    return true;
}

/* Handles every failure. */
static bool op_right(const void *arg, char *out, size_t cap)
{
    char *a = malloc(8), *b;

    (void)arg;
    snprintf(out, cap, "0");
    if (!a)
        return false;
    b = realloc(a, 64);
    if (!b) {
        free(a);
        return false;
    }
    free(b);
    snprintf(out, cap, "1");
    return true;
}

static void test_harness(void **state)
{
    unsigned leaky = 0, wrong = 0, right = 0;

    (void)state;
    sweep("op_leaky", op_leaky, NULL, false, &leaky);
    for (size_t i = 0; i < nkept; i++)
        free(kept[i]);
    sweep("op_wrong", op_wrong, NULL, false, &wrong);
    assert_int_equal(sweep("op_right", op_right, NULL, false, &right), 6);
    assert_int_equal(leaky, 2); /* strdup failing alone, and failing with what follows */
    assert_int_equal(wrong, 2);
    assert_int_equal(right, 0);
}

/* ---- inputs ---- */

static char root[PATH_MAX]; /* the repository, from /proc/self/exe */

static void find_root(void)
{
    ssize_t n = readlink("/proc/self/exe", root, sizeof(root) - 1);

    assert_true(n > 0);
    root[n] = '\0';
    /* build/<variant>/tests/test_allocfail: four components up. */
    for (int i = 0; i < 4; i++) {
        char *slash = strrchr(root, '/');
        assert_non_null(slash);
        *slash = '\0';
    }
}

struct blob {
    char name[300];
    char *data; /* NUL-terminated */
    size_t len;
};

static size_t read_dir(const char *sub, struct blob *out, size_t max)
{
    char dir[PATH_MAX + 64], path[PATH_MAX + 320];
    struct dirent *e;
    size_t n = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/tests/fuzz/corpus/%s", root, sub);
    d = opendir(dir);
    if (!d) {
        fail_msg("cannot open %s (the test finds it from its own path)", dir);
        return 0;
    }
    while ((e = readdir(d)) && n < max) {
        FILE *f;
        long len;

        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        f = fopen(path, "rb");
        assert_non_null(f);
        assert_int_equal(fseek(f, 0, SEEK_END), 0);
        len = ftell(f);
        assert_true(len >= 0);
        rewind(f);
        out[n].data = malloc((size_t)len + 1);
        assert_non_null(out[n].data);
        assert_int_equal(fread(out[n].data, 1, (size_t)len, f), (size_t)len);
        out[n].data[len] = '\0';
        out[n].len = (size_t)len;
        snprintf(out[n].name, sizeof(out[n].name), "%s/%s", sub, e->d_name);
        fclose(f);
        n++;
    }
    closedir(d);
    assert_true(n > 0);
    return n;
}

static void free_blobs(struct blob *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(b[i].data);
}

/* ---- the card parser and card actions ---- */

static void counter_id(void *arg, char out[37])
{
    unsigned *k = arg;

    snprintf(out, 37, "00000000-0000-4000-8000-%012u", (*k)++);
}

static bool op_card_parse(const void *arg, char *out, size_t cap)
{
    const struct blob *b = arg;
    struct card_message m = {0};
    struct sb_diag diag = {{0}, {0}};
    unsigned k = 0;
    sb_err err;

    err = card_message_parse(b->data, b->len,
                             strstr(b->name, ".txt") ? "text/plain" : "application/json",
                             counter_id, &k, &m, &diag);
    snprintf(out, cap, "%d %s|%s|%s|%s", (int)err, diag.code, m.summary ? m.summary : "",
             m.body ? m.body : "", m.attachments ? m.attachments : "");
    card_message_free(&m);
    return err == SB_OK;
}

/* The attachments of a parsed card, and the first of its actions, for the action helpers. */
struct parsed {
    char *attachments;
    char action_id[128];
    char att_id[40];
};

static bool op_action_find(const void *arg, char *out, size_t cap)
{
    const struct parsed *p = arg;
    struct card_action a;
    struct sb_diag diag = {{0}, {0}};
    char *headers = NULL;
    sb_err err;

    memset(&a, 0, sizeof(a));
    err = card_action_find(p->attachments, p->action_id, &a, &diag);
    if (!err && a.headers && !(headers = json_dumps(a.headers, JSON_COMPACT | JSON_SORT_KEYS)))
        err = SB_ERR_NOMEM;
    snprintf(out, cap, "%d %s|%s|%s|%s|%s|%s", (int)err, diag.code, a.method, a.url ? a.url : "",
             a.body ? a.body : "", a.content_type, headers ? headers : "");
    free(headers);
    card_action_free(&a);
    return err == SB_OK;
}

static bool op_action_strip(const void *arg, char *out, size_t cap)
{
    const struct parsed *p = arg;
    json_t *msg = json_pack("{s:s}", "id", "m1"), *atts = json_loads(p->attachments, 0, NULL);
    char *text = NULL;
    bool changed = false;
    sb_err err = SB_ERR_NOMEM;

    if (msg && atts && json_object_set(msg, "attachments", atts) == 0) {
        err = card_actions_strip(msg, &changed);
        if (!err && !(text = json_dumps(msg, JSON_COMPACT | JSON_SORT_KEYS)))
            err = SB_ERR_NOMEM;
    }
    snprintf(out, cap, "%d %d %d|%s", (int)err, changed, card_actions_present(p->attachments),
             text ? text : "");
    free(text);
    json_decref(atts);
    json_decref(msg);
    return err == SB_OK;
}

static bool op_action_substitute(const void *arg, char *out, size_t cap)
{
    static const enum card_subst modes[] = {CARD_SUBST_RAW, CARD_SUBST_JSON, CARD_SUBST_URL};
    json_t *inputs =
        json_pack("{s:s,s:s}", "comment", "caf\xC3\xA9 \"quoted\" & more", "list", "1,2");
    size_t used = 0;
    bool ok = inputs != NULL;

    (void)arg;
    for (size_t i = 0; ok && i < sizeof(modes) / sizeof(modes[0]); i++) {
        char *s = NULL;
        sb_err err = card_action_substitute(
            "{\"c\":\"{{comment.value}}\",\"l\":\"{{list.value}}\",\"x\":\"{{absent.value}}\"}",
            inputs, modes[i], &s);

        ok = err == SB_OK;
        used += (size_t)snprintf(out + used, cap - used, "%d %s;", (int)err, s ? s : "");
        free(s);
    }
    json_decref(inputs);
    return ok;
}

static bool op_card_replace(const void *arg, char *out, size_t cap)
{
    const struct parsed *p = arg;
    static const char card[] =
        "{\"@type\":\"MessageCard\",\"summary\":\"replaced\",\"text\":\"Done \xE2\x9C\x85\","
        "\"potentialAction\":[{\"@type\":\"OpenUri\",\"name\":\"x\",\"targets\":[{\"os\":"
        "\"default\",\"uri\":\"https://example.com/\"}]}]}";
    struct sb_diag diag = {{0}, {0}};
    char *text = NULL;
    sb_err err;

    err = card_replace(p->attachments, p->att_id, card, sizeof(card) - 1, 28 * 1024, &text, &diag);
    snprintf(out, cap, "%d %s|%s", (int)err, diag.code, text ? text : "");
    free(text);
    return err == SB_OK;
}

static void test_cards(void **state)
{
    struct blob cards[32];
    size_t n;
    unsigned long runs = 0;
    struct parsed p;
    struct card_message m = {0};
    struct sb_diag diag = {{0}, {0}};
    unsigned k = 0;
    const struct blob *mc = NULL;

    (void)state;
    n = read_dir("cards", cards, sizeof(cards) / sizeof(cards[0]));
    for (size_t i = 0; i < n; i++) {
        runs += run_failing(cards[i].name, op_card_parse, &cards[i]);
        if (strstr(cards[i].name, "/messagecard.json"))
            mc = &cards[i];
    }
    /* The action helpers on the stored form of a MessageCard with an ActionCard and HttpPOST. */
    if (!mc) {
        fail_msg("no messagecard.json in the cards corpus");
        return;
    }
    assert_int_equal(card_message_parse(mc->data, mc->len, NULL, counter_id, &k, &m, &diag), 0);
    memset(&p, 0, sizeof(p));
    p.attachments = m.attachments;
    snprintf(p.att_id, sizeof(p.att_id), "00000000-0000-4000-8000-000000000000");
    snprintf(p.action_id, sizeof(p.action_id), "%s:/potentialAction/0/actions/0", p.att_id);
    runs += run_failing_ok("card_action_find", op_action_find, &p);
    runs += run_failing_ok("card_actions_strip", op_action_strip, &p);
    runs += run_failing_ok("card_action_substitute", op_action_substitute, NULL);
    runs += run_failing_ok("card_replace", op_card_replace, &p);
    card_message_free(&m);

    /* The same on an Adaptive Card with Action.Http at the top and inside an ActionSet. */
    {
        static const char adaptive[] =
            "{\"type\":\"message\",\"attachments\":[{\"contentType\":"
            "\"application/vnd.microsoft.card.adaptive\",\"content\":{\"type\":\"AdaptiveCard\","
            "\"version\":\"1.0\",\"body\":[{\"type\":\"Input.Text\",\"id\":\"name\"},{\"type\":"
            "\"ActionSet\",\"actions\":[{\"type\":\"Action.Http\",\"method\":\"GET\",\"url\":"
            "\"https://svc.example/get?n={{name.value}}\"}]}],\"actions\":[{\"type\":"
            "\"Action.Http\",\"method\":\"post\",\"url\":\"https://svc.example/post\",\"body\":"
            "\"{{name.value}}\",\"headers\":[{\"name\":\"X-A\",\"value\":\"1\"}]},{\"type\":"
            "\"Action.OpenUrl\",\"url\":\"https://example.com\"}]}}]}";
        const struct blob b = {"adaptive Action.Http", (char *)adaptive, sizeof(adaptive) - 1};

        runs += run_failing_ok(b.name, op_card_parse, &b);
        k = 0;
        assert_int_equal(card_message_parse(b.data, b.len, NULL, counter_id, &k, &m, &diag), 0);
        p.attachments = m.attachments;
        snprintf(p.action_id, sizeof(p.action_id), "%s:/body/1/actions/0", p.att_id);
        runs += run_failing_ok("card_action_find (ActionSet)", op_action_find, &p);
        snprintf(p.action_id, sizeof(p.action_id), "%s:/actions/0", p.att_id);
        runs += run_failing_ok("card_action_find (actions)", op_action_find, &p);
        runs += run_failing_ok("card_actions_strip (Adaptive)", op_action_strip, &p);
        card_message_free(&m);
    }
    free_blobs(cards, n);
    printf("cards: %zu inputs and the action helpers, %lu failing runs\n", n + 1, runs);
}

/* ---- the service connectors' card builders ---- */

struct service_case {
    const char *kind;
    const char *settings;
    struct service_headers h;
    const char *body;
    char sig[72];
};

static bool op_service_card(const void *arg, char *out, size_t cap)
{
    const struct service_case *sc = arg;
    struct sb_connector c;
    char *card = NULL, why[256] = "";
    int status = 0;
    enum service_outcome o;

    memset(&c, 0, sizeof(c));
    snprintf(c.kind, sizeof(c.kind), "%s", sc->kind);
    snprintf(c.name, sizeof(c.name), "test");
    o = service_card(&c, sc->settings, &sc->h, sc->body, strlen(sc->body), &card, &status, why,
                     sizeof(why));
    snprintf(out, cap, "%d %d %s|%s", (int)o, status, why, card ? card : "");
    free(card);
    return o == SERVICE_POST;
}

static void test_service_cards(void **state)
{
    /* Multi-byte characters where ids, first lines and titles are cut. */
    static const char gh_push[] =
        "{\"ref\":\"refs/heads/main\",\"compare\":\"https://github.com/o/r/compare/a...b\","
        "\"repository\":{\"full_name\":\"o/r\",\"html_url\":\"https://github.com/o/r\"},"
        "\"pusher\":{\"name\":\"\u00c5sa\"},\"commits\":["
        "{\"id\":\"abcdef\u00e9123\",\"message\":\"fix \u20ac\\nmore\",\"url\":"
        "\"https://github.com/o/r/commit/1\",\"author\":{\"name\":\"Zo\u00eb\"}},"
        "{\"id\":\"ab\U0001F600cdefgh\",\"message\":\"x\",\"url\":\"https://github.com/o/r/"
        "commit/2\",\"author\":{\"name\":\"B\"}}]}";
    static const char gh_pr[] =
        "{\"action\":\"opened\",\"number\":3,\"pull_request\":{\"title\":\"T\u00e9st\","
        "\"body\":\"\U0001F600\U0001F600 body\",\"html_url\":\"https://github.com/o/r/pull/3\","
        "\"user\":{\"login\":\"u\"},\"head\":{\"ref\":\"feature\"},\"base\":{\"ref\":\"main\"}},"
        "\"repository\":{\"full_name\":\"o/r\"},\"sender\":{\"login\":\"u\"}}";
    static const char gl_push[] =
        "{\"object_kind\":\"push\",\"ref\":\"refs/heads/main\",\"before\":\"95790bf8\","
        "\"after\":\"da156088\",\"user_name\":\"J\u00f6rg\",\"total_commits_count\":3,"
        "\"project\":{\"path_with_namespace\":\"m/d\",\"web_url\":\"http://example.com/m/d\"},"
        "\"commits\":[{\"id\":\"1234567\u20ac89\",\"message\":\"\u00e9\u00e9\",\"url\":"
        "\"http://example.com/m/d/commit/1\",\"author\":{\"name\":\"A\"}}]}";
    static const char gl_pipeline[] =
        "{\"object_kind\":\"pipeline\",\"user\":{\"name\":\"Admin\"},\"project\":{"
        "\"path_with_namespace\":\"m/d\",\"web_url\":\"http://example.com/m/d\"},"
        "\"object_attributes\":{\"id\":31,\"ref\":\"main\",\"tag\":false,\"status\":"
        "\"failed\",\"duration\":63},\"commit\":{\"message\":\"test\\n\",\"url\":"
        "\"http://example.com/m/d/commit/b\"}}";
    static const char alerts[] =
        "{\"version\":\"4\",\"status\":\"firing\",\"groupLabels\":{\"alertname\":\"A\"},"
        "\"commonLabels\":{\"alertname\":\"A\"},\"externalURL\":\"http://am.example:9093\","
        "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\",\"z\":\"\u00e9\"},"
        "\"annotations\":{\"summary\":\"s\"},\"startsAt\":\"2026-01-01T00:00:00Z\"},"
        "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"B\"},\"annotations\":{},"
        "\"startsAt\":\"2026-01-01T00:00:00Z\",\"endsAt\":\"2026-01-01T01:00:00Z\"}]}";
    struct service_case cases[] = {
        {"github", "{\"secret\":\"s3cret\"}", {"push", NULL, NULL, NULL}, gh_push, ""},
        {"github", "{\"secret\":\"s3cret\"}", {"pull_request", NULL, NULL, NULL}, gh_pr, ""},
        {"gitlab", "{\"secret\":\"tok\"}", {"Push Hook", NULL, "tok", NULL}, gl_push, ""},
        {"gitlab", "{\"secret\":\"tok\"}", {"Pipeline Hook", NULL, "tok", NULL}, gl_pipeline, ""},
        {"alertmanager", "{}", {NULL, NULL, NULL, NULL}, alerts, ""},
    };
    unsigned long runs = 0;

    (void)state;
    /* GitHub's X-Hub-Signature-256 over each body. */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        unsigned char mac[crypto_auth_hmacsha256_BYTES];
        crypto_auth_hmacsha256_state st;

        if (strcmp(cases[i].kind, "github") != 0)
            continue;
        crypto_auth_hmacsha256_init(&st, (const unsigned char *)"s3cret", 6);
        crypto_auth_hmacsha256_update(&st, (const unsigned char *)cases[i].body,
                                      strlen(cases[i].body));
        crypto_auth_hmacsha256_final(&st, mac);
        memcpy(cases[i].sig, "sha256=", 7);
        sodium_bin2hex(cases[i].sig + 7, sizeof(cases[i].sig) - 7, mac, sizeof(mac));
        cases[i].h.signature = cases[i].sig;
    }
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        runs += run_failing_ok(cases[i].h.event ? cases[i].h.event : cases[i].kind, op_service_card,
                               &cases[i]);
    printf("service cards: %zu payloads, %lu failing runs\n", sizeof(cases) / sizeof(cases[0]),
           runs);
}

/* ---- URL parsers ---- */

static bool op_webhook_urls(const void *arg, char *out, size_t cap)
{
    static const unsigned char key[WEBHOOK_KEY_LEN] = {1, 2, 3};
    struct webhook_url u;
    char url[1024];
    size_t used = 0;
    bool ok = true;
    sb_err err;

    (void)arg;
    memset(&u, 0, sizeof(u));
    err = webhook_url_parse(WEBHOOK_URL_LEGACY,
                            "3f2504e0-4f89-41d3-9a0c-0305e82c3301@72f988bf-86f1-41af-91ab-"
                            "2d7cd011db47",
                            "c0a80101-0000-4000-8000-000000000001",
                            "9a0c0305-e82c-4301-8f89-41d39a0c0305", NULL, &u);
    ok = ok && !err;
    webhook_url_sign(key, "nonce", &u);
    err = webhook_url_format("https://sb.example.com", &u, url, sizeof(url));
    used += (size_t)snprintf(out + used, cap - used, "%d %s %d;", (int)err, url,
                             webhook_url_verify(key, "nonce", &u));
    u.kind = WEBHOOK_URL_V2;
    webhook_url_sign(key, "nonce", &u);
    err = webhook_url_format("https://sb.example.com", &u, url, sizeof(url));
    used += (size_t)snprintf(out + used, cap - used, "%d %s;", (int)err, url);
    memset(&u, 0, sizeof(u));
    err = webhook_url_parse_workflow("c0a80101-0000-4000-8000-000000000001",
                                     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &u);
    used += (size_t)snprintf(out + used, cap - used, "%d %s;", (int)err, u.config_id);
    memset(&u, 0, sizeof(u));
    err = webhook_url_parse_service("github", "c0a80101-0000-4000-8000-000000000001",
                                    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &u);
    used += (size_t)snprintf(out + used, cap - used, "%d %s;", (int)err, u.service);
    err = webhook_url_parse(WEBHOOK_URL_V2, "x@y", "z", "w", "V2bad", &u);
    snprintf(out + used, cap - used, "%d", (int)err);
    return ok;
}

struct page_case {
    const char *domains;
    const char *url;
};

static bool op_page_split(const void *arg, char *out, size_t cap)
{
    const struct page_case *c = arg;
    char scheme[8] = "", host[256] = "";
    const char *path = "";
    int port = 0;
    bool split = config_url_split(c->url, scheme, sizeof(scheme), host, sizeof(host), &port, &path);

    snprintf(out, cap, "%d %s %s %d %s", split, scheme, host, port, split ? path : "");
    return split;
}

/* Refusing (false) under a shortage is the safe answer; allowing must not change. */
static bool op_page_allowed(const void *arg, char *out, size_t cap)
{
    const struct page_case *c = arg;
    char why[320] = "";
    /* https only: plain http would consult the organisation's allow list (a store). */
    bool allowed = strncmp(c->url, "https://", 8) == 0 &&
                   config_url_allowed(NULL, c->domains, c->url, why, sizeof(why));

    snprintf(out, cap, "%d %s", allowed, allowed ? why : "");
    return allowed;
}

static bool op_domain_listed(const void *arg, char *out, size_t cap)
{
    const struct page_case *c = arg;
    char scheme[8] = "", host[256] = "";
    const char *path = "";
    int port = 0;
    bool listed =
        config_url_split(c->url, scheme, sizeof(scheme), host, sizeof(host), &port, &path) &&
        config_domain_listed(c->domains, host, port);

    snprintf(out, cap, "%d", listed);
    return listed;
}

static unsigned long run_page(const char *name, const struct page_case *c)
{
    return run_failing(name, op_page_split, c) + run_failing(name, op_page_allowed, c) +
           run_failing(name, op_domain_listed, c);
}

static bool op_fetch_urls(const void *arg, char *out, size_t cap)
{
    const char *url = arg;
    char scheme[16] = "", host[256] = "", origin[512] = "";
    int port = 0;
    sb_err a = fetch_url_parts(url, scheme, sizeof(scheme), host, sizeof(host), &port);
    sb_err b = fetch_url_origin(url, origin, sizeof(origin));

    snprintf(out, cap, "%d %s %s %d|%d %s", (int)a, scheme, host, port, (int)b, origin);
    return a == SB_OK && b == SB_OK;
}

/* The URL module: each URL parsed, its origin, the URL rebuilt with another path, and the
 * proxy's upstream URL. A shortage must make the operation fail, never give another answer. */
static bool op_net_url(const void *arg, char *out, size_t cap)
{
    static const char *const urls[] = {"HTTPS://Vendor.Example:8443/a%20b?q=1#f",
                                       "http://127.2/",
                                       "https://[::1]:9/x",
                                       "https://user@ex%61mple.org/",
                                       "https:///x",
                                       "ftp://files.example/",
                                       "https://a b/",
                                       "https://ci.example/job/nightly build"};
    size_t used = 0;
    bool ok = true;

    (void)arg;
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]) && used < cap; i++) {
        struct net_url u;
        char origin[128] = "", *with = NULL, *up = NULL;
        sb_err e = net_url_parse(urls[i], i == 7 ? NET_URL_ALLOW_SPACE : 0, &u), o = SB_OK,
               w = SB_OK, p;

        if (!e) {
            o = net_url_origin(&u, origin, sizeof(origin));
            w = net_url_with_path(&u, "/p%20q", "r=1", &with);
        }
        p = proxy_upstream_url(urls[i], "/x y", "z=1", &up);
        /* libcurl reports some shortages as a malformed URL (decoding the host's escapes):
         * a refused URL, the safe answer, which counts as the operation failing too. */
        ok = ok && e != SB_ERR_NOMEM && w != SB_ERR_NOMEM && p != SB_ERR_NOMEM &&
             (e == SB_OK) == (i != 4 && i != 6) && (p == SB_OK) == (i < 4 || i == 5);
        used += (size_t)snprintf(out + used, cap - used, "%d %s %s %d %s %s|%d %s|%d %s|%d %s;",
                                 (int)e, e ? "" : u.scheme, e ? "" : u.host, e ? 0 : u.port,
                                 e ? "" : u.path, e || !u.query ? "" : u.query, (int)o, origin,
                                 (int)w, with ? with : "", (int)p, up ? up : "");
        free(with);
        free(up);
        net_url_free(&u);
    }
    return ok;
}

static bool op_listen_and_addr(const void *arg, char *out, size_t cap)
{
    static const char *const listen[] = {"127.0.0.1:8080", "[::1]:0", "localhost:65535",
                                         "host:99999",     "[::1",    ":80"};
    static const char *const v4[] = {"8.8.8.8", "10.1.2.3", "169.254.169.254", "100.64.0.1"};
    static const char *const v6[] = {"2606:4700::1111", "::ffff:127.0.0.1", "64:ff9b::a00:1",
                                     "fe80::1", "2002:c0a8:101::1"};
    size_t used = 0;

    (void)arg;
    for (size_t i = 0; i < sizeof(listen) / sizeof(listen[0]); i++) {
        char host[256] = "";
        int port = -1;
        sb_err err = sb_config_parse_listen(listen[i], host, sizeof(host), &port);

        used += (size_t)snprintf(out + used, cap - used, "%d %s %d;", (int)err, host, port);
    }
    for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
        struct sockaddr_in sa = {.sin_family = AF_INET};

        assert_int_equal(inet_pton(AF_INET, v4[i], &sa.sin_addr), 1);
        used += (size_t)snprintf(out + used, cap - used, "%d",
                                 net_addr_is_public((const struct sockaddr *)&sa));
    }
    for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
        struct sockaddr_in6 sa = {.sin6_family = AF_INET6};

        assert_int_equal(inet_pton(AF_INET6, v6[i], &sa.sin6_addr), 1);
        used += (size_t)snprintf(out + used, cap - used, "%d",
                                 net_addr_is_public((const struct sockaddr *)&sa));
    }
    return true;
}

static bool op_config_flags(const void *arg, char *out, size_t cap)
{
    char a0[] = "--listen", a1[] = "[::1]:0", a2[] = "--public-url",
         a3[] = "https://sb.example.com/", a4[] = "--apps-url",
         a5[] = "https://{app}.apps.example.com", *argv[] = {a0, a1, a2, a3, a4, a5, NULL};
    struct sb_config cfg;
    struct sb_diag diag = {{0}, {0}};
    sb_err err;

    (void)arg;
    memset(&cfg, 0, sizeof(cfg));
    err = sb_config_parse(&cfg, 6, argv, &diag);
    snprintf(out, cap, "%d %s|%s %d|%s|%s", (int)err, diag.message, cfg.listen_host,
             cfg.listen_port, cfg.public_url, cfg.apps_url);
    return err == SB_OK;
}

static void test_urls(void **state)
{
    static const char *const fetch_urls[] = {
        "https://Example.COM/path?q=1", "http://127.0.0.1:8080/x",
        "https://[2001:db8::1]:8443/",  "https://user:pw@example.com/",
        "ftp://example.com/",           "https://ex ample.com/",
        "https://example.com:0/",       "not a url",
    };
    static const struct page_case pages[] = {
        {"[\"example.org\"]", "https://example.org/config?x=1"},
        {"[\"*.example.org\",\"other.net:8443\"]", "https://a.b.example.org:443/p#f"},
        {"[\"other.net:8443\"]", "https://other.net:8443/"},
        {"[\"example.org\"]", "https://evil.com@example.org/"},
        {"[\"example.org\"]", "https://example.org\\@evil.com/"},
        {"[\"example.org\"]", "http://example.org/"},
        {"not json", "https://example.org/"},
    };
    struct blob corpus[16];
    struct page_case from_corpus[16];
    size_t n;
    unsigned long runs = 0;

    (void)state;
    runs += run_failing("webhook URLs", op_webhook_urls, NULL);
    for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
        runs += run_page(pages[i].url, &pages[i]);
    /* The fuzz corpus: "domain\nurl". */
    n = read_dir("url", corpus, sizeof(corpus) / sizeof(corpus[0]));
    for (size_t i = 0; i < n; i++) {
        char *nl = strchr(corpus[i].data, '\n');
        json_t *d;

        if (nl)
            *nl = '\0';
        d = json_pack("[s]", nl ? corpus[i].data : "example.org");
        assert_non_null(d);
        from_corpus[i].domains = json_dumps(d, JSON_COMPACT);
        assert_non_null(from_corpus[i].domains);
        json_decref(d);
        from_corpus[i].url = nl ? nl + 1 : corpus[i].data;
        runs += run_page(corpus[i].name, &from_corpus[i]);
        free((char *)from_corpus[i].domains);
    }
    free_blobs(corpus, n);
    for (size_t i = 0; i < sizeof(fetch_urls) / sizeof(fetch_urls[0]); i++)
        runs += run_failing(fetch_urls[i], op_fetch_urls, fetch_urls[i]);
    runs += run_failing("--listen and addresses", op_listen_and_addr, NULL);
    runs += run_failing("URL flags", op_config_flags, NULL);
    runs += run_failing("net/url", op_net_url, NULL);
    printf("URLs: %lu failing runs\n", runs);
}

/* ---- the app package (manifest) validator ---- */

static bool op_package(const void *arg, char *out, size_t cap)
{
    const struct blob *b = arg;
    struct package_info info;
    struct sb_diag diag = {{0}, {0}};
    sb_err err = package_validate(b->data, b->len, &info, &diag);
    size_t used;

    used = (size_t)snprintf(out, cap, "%d %s %s|%s|%s|%s|%s|%s|%zu|%s|%zu", (int)err, diag.code,
                            info.id, info.short_name,
                            info.full_description ? info.full_description : "",
                            info.configuration_url, info.connector_id, info.web_app_id,
                            info.valid_domain_count, info.accent_color, info.color_icon_len);
    for (size_t i = 0; i < info.valid_domain_count && used < cap; i++)
        used += (size_t)snprintf(out + used, cap - used, ",%s", info.valid_domains[i]);
    package_info_free(&info);
    return err == SB_OK;
}

static bool op_package_rules(const void *arg, char *out, size_t cap)
{
    static const char *const urls[] = {"https://example.com/x", "https://", "http://a.b/",
                                       "https://a b/", "https://a.b/\x01"};
    static const char *const domains[] = {"example.com", "*.example.com", "*.", "a..b", ""};
    size_t used = 0;
    bool good_kept = true;

    (void)arg;
    for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
        bool https = package_https_url(urls[i]), http = package_http_url(urls[i]);

        used += (size_t)snprintf(out + used, cap - used, "%d%d", https, http);
        /* The URL rules parse (net/url.h), which allocates: under a shortage a URL is refused,
         * the safe answer, which counts as this operation failing. */
        if ((i == 0 && !https) || (i == 2 && !http))
            good_kept = false;
    }
    for (size_t i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
        used += (size_t)snprintf(out + used, cap - used, "%d", package_domain(domains[i]));
    return good_kept;
}

static void test_package(void **state)
{
    struct blob zips[8];
    size_t n;
    unsigned long runs = 0;
    bool valid_seen = false;

    (void)state;
    n = read_dir("package", zips, sizeof(zips) / sizeof(zips[0]));
    for (size_t i = 0; i < n; i++) {
        char desc[DESC_MAX];

        if (op_package(&zips[i], desc, sizeof(desc)))
            valid_seen = true;
        runs += run_failing(zips[i].name, op_package, &zips[i]);
    }
    assert_true(valid_seen); /* the failures hit the whole validation at least once */
    runs += run_failing("manifest URL and domain rules", op_package_rules, NULL);
    free_blobs(zips, n);
    printf("packages: %zu zips, %lu failing runs\n", n, runs);
}

static int setup(void **state)
{
    (void)state;
    find_root();
    /* jansson and libcurl allocate through the failing allocator too. */
    json_set_alloc_funcs(json_alloc, __wrap_free);
    return curl_global_init_mem(CURL_GLOBAL_DEFAULT, __wrap_malloc, __wrap_free, __wrap_realloc,
                                __wrap_strdup, __wrap_calloc) == CURLE_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    curl_global_cleanup();
    __real_free(A.live);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_harness),       cmocka_unit_test(test_cards),
        cmocka_unit_test(test_service_cards), cmocka_unit_test(test_urls),
        cmocka_unit_test(test_package),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
