/*
 * test_reactions.c: which reactionType values people may give (teams_reaction_type_valid,
 * src/teams/reactions.c): Teams' six names, and exactly one emoji sequence (with its variation
 * selector, skin tone, keycap mark, tags, or ZWJ-joined parts; a flag is a pair of regional
 * indicators). Anything else, text or several emoji, is refused. The e2e suite
 * (threads.test.mjs) checks the same through the API; this pins the edges of the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "teams/teams.h"

#include <string.h>

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
        cmocka_unit_test(names),
        cmocka_unit_test(emoji),
        cmocka_unit_test(bounds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
