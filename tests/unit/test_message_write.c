/*
 * test_message_write.c: teams_message_write (the hand-written chatMessage of history pages)
 * gives exactly the text of sb_json_dump(teams_message_json(m)), the jansson tree it replaced:
 * connector and people's messages, replies, edits, soft deletes (nothing of what was said),
 * mentions of people and of the channel, reactions, missing summary and attachments, stored
 * attachments that are not an array, and strings that need escaping (quotes, backslashes,
 * control characters, UTF-8 kept as is).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/json.h"
#include "teams/teams.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same_as_jansson(const struct sb_message *m)
{
    struct sb_buf b = {0};
    json_t *j = teams_message_json(m);
    char *want = NULL;

    assert_non_null(j);
    assert_int_equal(sb_json_dump(j, &want), SB_OK);
    json_decref(j);
    /* No ctx: these messages carry no service-calling card action, so no policy is read. */
    assert_int_equal(teams_message_write(NULL, m, NULL, &b), SB_OK);
    if (strcmp(b.data, want) != 0)
        fail_msg("written:\n%s\njansson:\n%s", b.data, want);
    assert_int_equal(b.len, strlen(want));
    free(want);
    sb_buf_free(&b);
}

static void base(struct sb_message *m, const char *kind)
{
    memset(m, 0, sizeof(*m));
    m->seq = 7;
    snprintf(m->id, sizeof(m->id), "%s", "0193b1c2-0000-7000-8000-000000000001");
    snprintf(m->team_id, sizeof(m->team_id), "%s", "5f0c2a55-1111-4a4a-8b8b-222222222222");
    snprintf(m->channel_id, sizeof(m->channel_id), "%s", "19:general");
    snprintf(m->created, sizeof(m->created), "%s", "2026-12-05T01:40:06.175Z");
    snprintf(m->from_kind, sizeof(m->from_kind), "%s", kind);
    snprintf(m->from_id, sizeof(m->from_id), "%s", "121beb95-4886-45a2-8dde-07cb9819cb0f");
    snprintf(m->from_name, sizeof(m->from_name), "%s", "CI \"bot\" \\ é ✓");
    snprintf(m->body_type, sizeof(m->body_type), "%s", "html");
}

static void test_connector_card(void **state)
{
    struct sb_message m;
    char body[] = "<attachment id=\"4e08ddf5-68bc-4f7f-be34-049ab4a86629\"></attachment>";
    char summary[] = "Build 1234 of switchboard failed";
    char attachments[] =
        "[{\"id\":\"4e08ddf5-68bc-4f7f-be34-049ab4a86629\",\"contentType\":\"application/"
        "vnd.microsoft.teams.card.o365connector\",\"content\":\"{\\\"@type\\\":\\\"MessageCard\\\","
        "\\\"text\\\":\\\"a\\\\nb é\\\"}\",\"name\":null}]";

    /* As the server stores them: jansson's compact text (UTF-8 as is, not \u escapes). */
    (void)state;
    base(&m, "application");
    m.body = body;
    m.summary = summary;
    m.attachments = attachments;
    same_as_jansson(&m);
    snprintf(m.from_image, sizeof(m.from_image), "%s", "/api/v1/connectors/x/image");
    same_as_jansson(&m);
}

static void test_person_mentions_reactions(void **state)
{
    struct sb_message m;
    char body[] = "<p><at id=\"0\">Ada</at> and <at id=\"1\">General</at>\n\t\x01\x1f\x7f "
                  "\"quoted\" back\\slash \b\f\r</p>";
    struct sb_mention x[2];
    struct sb_reaction r[2];

    (void)state;
    base(&m, "user");
    memset(x, 0, sizeof(x));
    memset(r, 0, sizeof(r));
    m.body = body;
    x[0].id = 0;
    snprintf(x[0].text, sizeof(x[0].text), "%s", "Ada");
    snprintf(x[0].target, sizeof(x[0].target), "%s", "d3b07384-d9a0-4c9b-8f3e-1a2b3c4d5e6f");
    snprintf(x[0].name, sizeof(x[0].name), "%s", "Ada \"L\"");
    x[1].id = 1;
    x[1].channel = true;
    snprintf(x[1].text, sizeof(x[1].text), "%s", "General");
    snprintf(x[1].target, sizeof(x[1].target), "%s", "19:general");
    snprintf(x[1].name, sizeof(x[1].name), "%s", "General");
    m.mentions = x;
    m.n_mentions = 2;
    snprintf(r[0].type, sizeof(r[0].type), "%s", "like");
    snprintf(r[0].created, sizeof(r[0].created), "%s", "2026-12-05T01:41:00.000Z");
    snprintf(r[0].user_id, sizeof(r[0].user_id), "%s", "d3b07384-d9a0-4c9b-8f3e-1a2b3c4d5e6f");
    snprintf(r[0].user_name, sizeof(r[0].user_name), "%s", "Ada");
    snprintf(r[1].type, sizeof(r[1].type), "%s", "👍🏽");
    snprintf(r[1].created, sizeof(r[1].created), "%s", "2026-12-05T01:42:00.000Z");
    snprintf(r[1].user_id, sizeof(r[1].user_id), "%s", "0f1e2d3c-4b5a-4697-8877-665544332211");
    m.reactions = r;
    m.n_reactions = 2;
    same_as_jansson(&m);
    /* An edited reply. */
    snprintf(m.reply_to, sizeof(m.reply_to), "%s", "0193b1c2-0000-7000-8000-000000000000");
    snprintf(m.edited, sizeof(m.edited), "%s", "2026-12-05T02:00:00.000Z");
    same_as_jansson(&m);
    /* Soft-deleted: metadata only, the latest time as lastModifiedDateTime. */
    snprintf(m.deleted, sizeof(m.deleted), "%s", "2026-12-05T03:00:00.000Z");
    same_as_jansson(&m);
    /* Deleted before the edit's time (clock skew between nodes): the edit's time stays. */
    snprintf(m.deleted, sizeof(m.deleted), "%s", "2026-12-05T01:50:00.000Z");
    same_as_jansson(&m);
}

static void test_odd_attachments(void **state)
{
    struct sb_message m;
    char body[] = "plain text";
    char object[] = "{\"id\":\"x\"}", broken[] = "[{\"id\":", empty[] = "[]";

    (void)state;
    base(&m, "application");
    snprintf(m.body_type, sizeof(m.body_type), "%s", "text");
    m.body = body;
    same_as_jansson(&m); /* no attachments, no summary */
    m.attachments = object;
    same_as_jansson(&m);
    m.attachments = broken;
    same_as_jansson(&m);
    m.attachments = empty;
    same_as_jansson(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_connector_card),
        cmocka_unit_test(test_person_mentions_reactions),
        cmocka_unit_test(test_odd_attachments),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
