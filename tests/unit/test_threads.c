/*
 * test_threads.c: the rules of the conversation under a message that the e2e suite
 * (threads.test.mjs) checks through the API, pinned here at their edges:
 *  - who may edit and soft-delete a message (sb_can's SB_ACT_MESSAGE_EDIT and _DELETE, which
 *    read the message named: edits are the author's alone, administrators included; deletes
 *    the author's, team owners' and administrators'; a message of another channel is unknown);
 *  - which reactionType values people may give (teams_reaction_type_valid): Teams' six names
 *    and exactly one emoji sequence (with its variation selector, skin tone, keycap mark, tags
 *    or ZWJ-joined parts; a flag is a pair of regional indicators), nothing else;
 *  - a failed write changes nothing (the store's fault plan fails the edit's UPDATE).
 * On a fresh SQLite store (ctx_fixture.h), populated through the services.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ctx_fixture.h"

#include "auth/auth.h"
#include "auth/perm.h"
#include "teams/teams.h"

#define UNKNOWN_ID "00000000-dead-4bee-8f00-000000000001"

#define OK SB_OK
#define UN SB_ERR_UNAUTHORIZED
#define FB SB_ERR_FORBIDDEN
#define NF SB_ERR_NOT_FOUND

enum { P_NONE, P_ADMIN, P_OWNER, P_MEMBER, P_GUEST, P_OUTSIDER, NPRINCIPALS };

static const char *const principal_names[NPRINCIPALS] = {"(none)", "admin", "owner",
                                                         "member", "guest", "outsider"};

struct fx {
    struct cfx *c;
    struct sb_principal who[NPRINCIPALS];
    struct sb_team team, other;
    struct sb_channel general, second;
};

static struct fx fx; /* the group's population (tests run one after another) */

static const struct sb_principal *principal(struct fx *f, int p)
{
    return p == P_NONE ? NULL : &f->who[p];
}

static const char *action_name(enum sb_action a)
{
    return a == SB_ACT_MESSAGE_EDIT ? "MESSAGE_EDIT" : "MESSAGE_DELETE";
}

static sb_err make_user(struct fx *f, int p, const char *upn, bool is_admin)
{
    struct auth_new_user in = {upn, upn, NULL, is_admin};
    struct sb_user u;
    struct sb_diag diag;
    sb_err err = auth_user_create(&f->c->ctx, &in, &u, &diag);

    if (err)
        return err;
    memset(&f->who[p], 0, sizeof(f->who[p]));
    memcpy(f->who[p].user_id, u.id, sizeof(sb_id));
    snprintf(f->who[p].upn, sizeof(f->who[p].upn), "%s", u.upn);
    snprintf(f->who[p].display_name, sizeof(f->who[p].display_name), "%s", u.display_name);
    f->who[p].is_admin = u.is_admin;
    return SB_OK;
}

static sb_err find_general(struct fx *f, struct sb_diag *diag)
{
    struct sb_channel *cs = NULL;
    size_t n = 0;
    sb_err err = teams_channel_list(&f->c->ctx, &f->who[P_OWNER], f->team.id, &cs, &n, diag);

    for (size_t i = 0; !err && i < n; i++)
        if (cs[i].is_general)
            f->general = cs[i];
    free(cs);
    return err ? err : f->general.id[0] ? SB_OK : SB_ERR_NOT_FOUND;
}

static int group_setup(void **state)
{
    struct fx *f = &fx;
    struct sb_diag diag;
    struct sb_member m;
    sb_err err;

    memset(&diag, 0, sizeof(diag));
    if (cfx_setup(state) != 0)
        return -1;
    f->c = *state;
    err = make_user(f, P_ADMIN, "admin@example.com", true);
    if (!err)
        err = make_user(f, P_OWNER, "owner@example.com", false);
    if (!err)
        err = make_user(f, P_MEMBER, "member@example.com", false);
    if (!err)
        err = make_user(f, P_GUEST, "guest@example.com", false);
    if (!err)
        err = make_user(f, P_OUTSIDER, "outsider@example.com", false);
    if (!err)
        err = teams_create(&f->c->ctx, &f->who[P_OWNER], "Team", NULL, &f->team, &diag);
    if (!err)
        err = teams_member_add(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->who[P_MEMBER].user_id,
                               SB_ROLE_MEMBER, &m, &diag);
    if (!err)
        err = teams_member_add(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->who[P_GUEST].user_id,
                               SB_ROLE_GUEST, &m, &diag);
    if (!err)
        err = teams_channel_create(&f->c->ctx, &f->who[P_OWNER], f->team.id, "Second", NULL,
                                   &f->second, &diag);
    if (!err)
        err = find_general(f, &diag);
    if (!err)
        err = teams_create(&f->c->ctx, &f->who[P_OWNER], "Other", NULL, &f->other, &diag);
    if (!err)
        err = teams_member_add(&f->c->ctx, &f->who[P_OWNER], f->other.id,
                               f->who[P_OUTSIDER].user_id, SB_ROLE_MEMBER, &m, &diag);
    if (err) {
        fprintf(stderr, "setup: %s (%s: %s)\n", sb_err_name(err), diag.code, diag.message);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    return cfx_teardown(state);
}

/* Edits are the author's alone (administrators included); soft deletes the author's, the
 * team owners' and administrators'; the message must be of the channel named. */
static void test_message_author(void **state)
{
    struct fx *f = &fx;

    (void)state;
    struct sb_diag diag;
    struct sb_message mine, owners, elsewhere;
    struct {
        enum sb_action action;
        int who;
        const char *message, *channel;
        sb_err want;
    } cases[] = {
        {SB_ACT_MESSAGE_EDIT, P_MEMBER, mine.id, f->general.id, OK},
        {SB_ACT_MESSAGE_EDIT, P_OWNER, mine.id, f->general.id, FB},
        {SB_ACT_MESSAGE_EDIT, P_ADMIN, mine.id, f->general.id, FB},
        {SB_ACT_MESSAGE_EDIT, P_GUEST, mine.id, f->general.id, FB},
        {SB_ACT_MESSAGE_EDIT, P_OUTSIDER, mine.id, f->general.id, NF},
        {SB_ACT_MESSAGE_EDIT, P_NONE, mine.id, f->general.id, UN},
        {SB_ACT_MESSAGE_EDIT, P_OWNER, owners.id, f->general.id, OK},
        {SB_ACT_MESSAGE_DELETE, P_MEMBER, mine.id, f->general.id, OK},
        {SB_ACT_MESSAGE_DELETE, P_OWNER, mine.id, f->general.id, OK},
        {SB_ACT_MESSAGE_DELETE, P_ADMIN, mine.id, f->general.id, OK},
        {SB_ACT_MESSAGE_DELETE, P_GUEST, mine.id, f->general.id, FB},
        {SB_ACT_MESSAGE_DELETE, P_MEMBER, owners.id, f->general.id, FB},
        {SB_ACT_MESSAGE_DELETE, P_OUTSIDER, mine.id, f->general.id, NF},
        {SB_ACT_MESSAGE_DELETE, P_NONE, mine.id, f->general.id, UN},
        /* a message named under another channel than its own, or none at all */
        {SB_ACT_MESSAGE_EDIT, P_MEMBER, mine.id, f->second.id, NF},
        {SB_ACT_MESSAGE_DELETE, P_OWNER, elsewhere.id, f->general.id, NF},
        {SB_ACT_MESSAGE_EDIT, P_MEMBER, UNKNOWN_ID, f->general.id, NF},
        {SB_ACT_MESSAGE_DELETE, P_ADMIN, UNKNOWN_ID, f->general.id, NF},
        {SB_ACT_MESSAGE_DELETE, P_OWNER, NULL, f->general.id, NF},
    };

    memset(&diag, 0, sizeof(diag));
    assert_int_equal(teams_message_post(&f->c->ctx, &f->who[P_MEMBER], f->team.id, f->general.id,
                                        "text", "mine", NULL, 0, &mine, &diag),
                     SB_OK);
    assert_int_equal(teams_message_post(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->general.id,
                                        "text", "the owner's", NULL, 0, &owners, &diag),
                     SB_OK);
    assert_int_equal(teams_message_post(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->second.id,
                                        "text", "in the second channel", NULL, 0, &elsewhere,
                                        &diag),
                     SB_OK);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct sb_resource r = {f->team.id, cases[i].channel, cases[i].message};
        sb_err got;

        memset(&diag, 0, sizeof(diag));
        got = sb_can(&f->c->ctx, principal(f, cases[i].who), cases[i].action, &r, &diag);
        if (got != cases[i].want)
            print_error("case %zu: %s by %s: got %s, want %s (%s)\n", i,
                        action_name(cases[i].action), principal_names[cases[i].who],
                        sb_err_name(got), sb_err_name(cases[i].want), diag.message);
        assert_int_equal(got, cases[i].want);
        if (got == FB)
            assert_string_equal(diag.code, "Forbidden");
        if (got == NF)
            assert_string_equal(diag.code, "NotFound");
    }
    teams_message_free(&mine);
    teams_message_free(&owners);
    teams_message_free(&elsewhere);
}

/* A write that fails changes nothing: the edit's UPDATE fails, the body stays. */
static void test_failed_edit(void **state)
{
    struct fx *f = &fx;
    struct sb_diag diag;
    struct sb_message m, got;

    (void)state;
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(teams_message_post(&f->c->ctx, &f->who[P_MEMBER], f->team.id, f->general.id,
                                        "text", "before", NULL, 0, &m, &diag),
                     SB_OK);
    store_fault_arm(f->c->fault, 1);
    assert_int_not_equal(teams_message_edit(&f->c->ctx, &f->who[P_MEMBER], f->team.id,
                                            f->general.id, NULL, m.id, "text", "after", NULL, 0,
                                            &diag),
                         SB_OK);
    store_fault_arm(f->c->fault, 0);
    assert_int_equal(teams_message_get(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->general.id,
                                       m.id, &got, &diag),
                     SB_OK);
    assert_string_equal(got.body, "before");
    assert_string_equal(got.edited, "");
    teams_message_free(&got);
    assert_int_equal(teams_message_edit(&f->c->ctx, &f->who[P_MEMBER], f->team.id, f->general.id,
                                        NULL, m.id, "text", "after", NULL, 0, &diag),
                     SB_OK);
    assert_int_equal(teams_message_get(&f->c->ctx, &f->who[P_OWNER], f->team.id, f->general.id,
                                       m.id, &got, &diag),
                     SB_OK);
    assert_string_equal(got.body, "after");
    assert_string_not_equal(got.edited, "");
    teams_message_free(&got);
    teams_message_free(&m);
}

/* One mention checked against a body: the channel (channel true) or the principal p. */
static sb_err check_one(struct fx *f, const char *body, int64_t id, const char *text, bool channel,
                        int p, struct sb_mention *x)
{
    struct sb_diag diag;

    memset(x, 0, sizeof(*x));
    x->id = id;
    x->channel = channel;
    snprintf(x->text, sizeof(x->text), "%s", text);
    memcpy(x->target, channel ? f->general.id : f->who[p].user_id, sizeof(x->target));
    return teams_mentions_check(&f->c->ctx, f->team.id, f->general.id, "html", body, x, 1, &diag);
}

/* The <at> tag syntax taken (either quote, any case, spaces before '>'; <attachment> is no
 * tag), the refusals, who may be mentioned, and the names taken from the store. */
static void mention_rules(void **state)
{
    struct fx *f = &fx;
    struct sb_mention x;
    char body[4096];
    struct sb_diag diag;

    (void)state;
    snprintf(body, sizeof(body), "<attachment id=\"a\"></attachment> <AT id='7' >%s</aT>",
             f->general.display_name);
    assert_int_equal(check_one(f, body, 7, f->general.display_name, true, 0, &x), SB_OK);
    assert_string_equal(x.name, f->general.display_name);
    assert_int_equal(check_one(f, "<at id=\"0\">Gus</at>", 0, "Gus", false, P_GUEST, &x), SB_OK);
    assert_string_equal(x.name, f->who[P_GUEST].display_name);
    assert_int_equal(check_one(f, "<at id=\"0\">Out</at>", 0, "Out", false, P_OUTSIDER, &x),
                     SB_ERR_INVALID);
    assert_int_equal(check_one(f, "<at id=0>Gus</at>", 0, "Gus", false, P_GUEST, &x),
                     SB_ERR_INVALID);
    assert_int_equal(
        check_one(f, "<at id=\"1234567890\">Gus</at>", 1234567890, "Gus", false, P_GUEST, &x),
        SB_ERR_INVALID);
    assert_int_equal(check_one(f, "<at id=\"0\">Gus </at>", 0, "Gus", false, P_GUEST, &x),
                     SB_ERR_INVALID);
    assert_int_equal(check_one(f, "<at id=\"0\">Gus", 0, "Gus", false, P_GUEST, &x),
                     SB_ERR_INVALID);
    assert_int_equal(
        check_one(f, "<at>Gus</at> <at id=\"0\">Gus</at>", 0, "Gus", false, P_GUEST, &x),
        SB_ERR_INVALID);
    /* No mentions: a text body of any content, an html body without tags. */
    assert_int_equal(teams_mentions_check(&f->c->ctx, f->team.id, f->general.id, "text",
                                          "<at id=\"0\">x</at>", NULL, 0, &diag),
                     SB_OK);
    assert_int_equal(teams_mentions_check(&f->c->ctx, f->team.id, f->general.id, "html",
                                          "<b>hi</b> <attachment id=\"x\"></attachment>", NULL, 0,
                                          &diag),
                     SB_OK);
}

static void names(void **state)
{
    (void)state;
    for (const char *const *n =
             (const char *const[]){"like", "heart", "laugh", "surprised", "sad", "angry", NULL};
         *n; n++)
        assert_true(teams_reaction_type_valid(*n));
    assert_false(teams_reaction_type_valid("Like"));
    assert_false(teams_reaction_type_valid("likes"));
    assert_false(teams_reaction_type_valid("thumbsup"));
    assert_false(teams_reaction_type_valid(""));
}

static void emoji(void **state)
{
    static const char *const ok[] = {
        "\xF0\x9F\x91\x8D",                             /* thumbs up */
        "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD",             /* with a skin tone */
        "\xE2\x9D\xA4\xEF\xB8\x8F",                     /* red heart + VS16 */
        "\xE2\x98\x95",                                 /* hot beverage, BMP */
        "\xC2\xA9\xEF\xB8\x8F",                         /* copyright sign as emoji */
        "1\xEF\xB8\x8F\xE2\x83\xA3",                    /* keycap 1 */
        "#\xE2\x83\xA3",                                /* keycap # without VS16 */
        "\xF0\x9F\x87\xAB\xF0\x9F\x87\xB7",             /* flag: FR */
        "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x92\xBB", /* man technologist (ZWJ) */
        /* family: man, woman, girl, boy */
        "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D"
        "\xF0\x9F\x91\xA6",
        /* flag of Scotland: black flag + tags + cancel tag */
        "\xF0\x9F\x8F\xB4\xF3\xA0\x81\xA7\xF3\xA0\x81\xA2\xF3\xA0\x81\xB3\xF3\xA0\x81\xA3"
        "\xF3\xA0\x81\xB4\xF3\xA0\x81\xBF",
        "\xF0\x9F\xAB\xA0", /* melting face (Unicode 14) */
    };
    static const char *const bad[] = {
        "\xF0\x9F\x91\x8D\xF0\x9F\x91\x8D", /* two emoji */
        "\xF0\x9F\x91\x8D ",                /* trailing space */
        "a\xF0\x9F\x91\x8D",                /* text first */
        "\xF0\x9F\x8F\xBD",                 /* a skin tone alone */
        "\xEF\xB8\x8F",                     /* VS16 alone */
        "\xE2\x80\x8D",                     /* ZWJ alone */
        "\xF0\x9F\x91\x8D\xE2\x80\x8D",     /* ends with ZWJ */
        "\xF0\x9F\x87\xAB",                 /* half a flag */
        "1",                                /* a digit without the keycap mark */
        "1\xEF\xB8\x8F",                    /* still no keycap mark */
        "\xE2\x83\xA3",                     /* the keycap mark alone */
        "\xF0\x9F\x91",                     /* cut UTF-8 */
        "\xC0\xAF",                         /* overlong UTF-8 */
        "\xE4\xB8\xAD",                     /* a CJK letter is no emoji */
    };

    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (!teams_reaction_type_valid(ok[i]))
            print_error("refused ok[%zu]\n", i);
        assert_true(teams_reaction_type_valid(ok[i]));
    }
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (teams_reaction_type_valid(bad[i]))
            print_error("accepted bad[%zu]\n", i);
        assert_false(teams_reaction_type_valid(bad[i]));
    }
}

static void bounds(void **state)
{
    /* 17 code points: a ZWJ chain longer than any real emoji (a kiss with two skin tones is 10) */
    char chain[128] = "";

    (void)state;
    for (int i = 0; i < 8; i++)
        strcat(chain, "\xF0\x9F\x91\xA8\xE2\x80\x8D");
    strcat(chain, "\xF0\x9F\x91\xA8");
    assert_false(teams_reaction_type_valid(chain));
    /* longer than SB_REACTION_MAX bytes */
    char lng[SB_REACTION_MAX + 8];
    memset(lng, 'a', sizeof(lng) - 1);
    lng[sizeof(lng) - 1] = '\0';
    assert_false(teams_reaction_type_valid(lng));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_author),
        cmocka_unit_test(test_failed_edit),
        cmocka_unit_test(mention_rules),
        cmocka_unit_test(names),
        cmocka_unit_test(emoji),
        cmocka_unit_test(bounds),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
