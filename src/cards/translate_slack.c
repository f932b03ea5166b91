/*
 * translate_slack.c: Adaptive Cards -> Slack incoming-webhook JSON (text + blocks) within
 * Slack's limits (translate.h).
 */
#include "cards/translate.h"

#include "cards/walk.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Slack's limits (api.slack.com/reference/block-kit/blocks). */
#define SLACK_MAX_BLOCKS 50
#define SLACK_SECTION_TEXT 3000
#define SLACK_HEADER_TEXT 150
#define SLACK_FIELDS 10
#define SLACK_FIELD_TEXT 2000
#define SLACK_BUTTON_TEXT 75
#define SLACK_ACTION_ELEMENTS 25
#define SLACK_URL_MAX 3000
#define SLACK_TOP_TEXT 40000

/* --- the writer --------------------------------------------------------------------------------
 */

struct slack {
    struct walker w;
    json_t *blocks;
    json_t *fields;         /* the open section's fields (facts), or NULL */
    json_t *buttons;        /* the open actions block's elements, or NULL */
    struct sb_buf all;      /* the top-level text: everything, for notifications and old clients */
    struct sb_buf overflow; /* text of blocks past SLACK_MAX_BLOCKS - 1 */
};

/* s cut to at most max characters (UTF-8 boundary), with an ellipsis when cut. */
static json_t *cut(const char *s, size_t max)
{
    size_t n = strlen(s), chars = 0, i;
    char *tmp;
    json_t *v;

    for (i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars > max - 1)
            break;
    if (i >= n)
        return json_string(s);
    tmp = malloc(i + 4);
    if (!tmp)
        return NULL;
    memcpy(tmp, s, i);
    memcpy(tmp + i, "\xE2\x80\xA6", 4);
    v = json_string(tmp);
    free(tmp);
    return v;
}

static bool slack_room(struct slack *sl, const char *overflow_text)
{
    if (json_array_size(sl->blocks) < SLACK_MAX_BLOCKS - 1)
        return true;
    if (sb_buf_puts(&sl->overflow, overflow_text) || sb_buf_puts(&sl->overflow, "\n"))
        sl->w.ok = false;
    return false;
}

static void slack_all(struct slack *sl, const char *s)
{
    if (sb_buf_puts(&sl->all, s) || sb_buf_puts(&sl->all, "\n"))
        sl->w.ok = false;
}

static void slack_close(struct slack *sl)
{
    sl->fields = NULL;
    sl->buttons = NULL;
}

static void slack_heading(struct walker *w, const char *text)
{
    struct slack *sl = (struct slack *)w;
    json_t *b;

    slack_all(sl, text);
    slack_close(sl);
    if (!slack_room(sl, text))
        return;
    b = json_pack("{s:s, s:{s:s, s:o, s:b}}", "type", "header", "text", "type", "plain_text",
                  "text", cut(text, SLACK_HEADER_TEXT), "emoji", 1);
    card_push(sl->blocks, b, &w->ok);
}

static void slack_text(struct walker *w, const char *text, bool subtle)
{
    struct slack *sl = (struct slack *)w;
    json_t *b;

    slack_all(sl, text);
    slack_close(sl);
    if (!slack_room(sl, text))
        return;
    if (subtle)
        b = json_pack("{s:s, s:[{s:s, s:o}]}", "type", "context", "elements", "type", "mrkdwn",
                      "text", cut(text, SLACK_SECTION_TEXT));
    else
        b = json_pack("{s:s, s:{s:s, s:o}}", "type", "section", "text", "type", "mrkdwn", "text",
                      cut(text, SLACK_SECTION_TEXT));
    card_push(sl->blocks, b, &w->ok);
}

/* The open block's array (`fields` of a section, `elements` of an actions block) in *slot, or a
 * new block's when none is open; NULL when the message has no room left for line or the block
 * could not be added. */
static json_t *slack_open(struct walker *w, json_t **slot, const char *type, const char *key,
                          const char *line)
{
    struct slack *sl = (struct slack *)w;
    json_t *b;

    if (!*slot) {
        if (!slack_room(sl, line))
            return NULL;
        b = json_pack("{s:s, s:[]}", "type", type, key);
        card_push(sl->blocks, b, &w->ok);
        /* push gives b to the array, or frees it when it cannot: read it only when it was added */
        *slot = w->ok ? json_object_get(b, key) : NULL;
    }
    return *slot;
}

static void slack_fact(struct walker *w, const char *title, const char *value)
{
    struct slack *sl = (struct slack *)w;
    char *line = NULL;
    json_t *f;

    if (asprintf(&line, "*%s*\n%s", title, value) < 0) {
        w->ok = false;
        return;
    }
    slack_all(sl, line);
    sl->buttons = NULL;
    if (sl->fields && json_array_size(sl->fields) >= SLACK_FIELDS)
        sl->fields = NULL;
    if (!slack_open(w, &sl->fields, "section", "fields", line)) {
        free(line);
        return;
    }
    f = json_pack("{s:s, s:o}", "type", "mrkdwn", "text", cut(line, SLACK_FIELD_TEXT));
    card_push(sl->fields, f, &w->ok);
    free(line);
}

static void slack_facts_end(struct walker *w)
{
    slack_close((struct slack *)w);
}

static void slack_image(struct walker *w, const char *url, const char *alt)
{
    struct slack *sl = (struct slack *)w;

    slack_close(sl);
    if (strlen(url) > SLACK_URL_MAX || !slack_room(sl, url))
        return;
    card_push(sl->blocks,
              json_pack("{s:s, s:s, s:o}", "type", "image", "image_url", url, "alt_text",
                        cut(alt && *alt ? alt : "image", SLACK_SECTION_TEXT)),
              &w->ok);
}

static void slack_link(struct walker *w, const char *title, const char *url)
{
    struct slack *sl = (struct slack *)w;
    char *line = NULL;

    if (asprintf(&line, "<%s|%s>", url, title) < 0) {
        w->ok = false;
        return;
    }
    slack_all(sl, line);
    sl->fields = NULL;
    if (sl->buttons && json_array_size(sl->buttons) >= SLACK_ACTION_ELEMENTS)
        sl->buttons = NULL;
    if (strlen(url) > SLACK_URL_MAX) {
        free(line);
        return;
    }
    if (!slack_open(w, &sl->buttons, "actions", "elements", line)) {
        free(line);
        return;
    }
    card_push(sl->buttons,
              json_pack("{s:s, s:{s:s, s:o}, s:s}", "type", "button", "text", "type", "plain_text",
                        "text", cut(title, SLACK_BUTTON_TEXT), "url", url),
              &w->ok);
    free(line);
}

sb_err card_to_slack(json_t *cards, json_t **out)
{
    struct slack sl = {
        {slack_heading, slack_text, slack_fact, slack_facts_end, slack_image, slack_link, true},
        json_array(),
        NULL,
        NULL,
        {0},
        {0}};
    json_t *body = NULL;

    *out = NULL;
    if (!sl.blocks)
        return SB_ERR_NOMEM;
    card_walk(&sl.w, cards);
    /* Past Slack's 50 blocks, the rest is one last section: shortened, never silently lost
     * (the top-level text has all of it). */
    if (sl.overflow.len && sb_buf_puts(&sl.overflow, "") == SB_OK)
        card_push(sl.blocks,
                  json_pack("{s:s, s:{s:s, s:o}}", "type", "section", "text", "type", "mrkdwn",
                            "text", cut(sl.overflow.data, SLACK_SECTION_TEXT)),
                  &sl.w.ok);
    if (sb_buf_puts(&sl.all, ""))
        sl.w.ok = false;
    if (sl.w.ok)
        body = json_pack("{s:o, s:o}", "text",
                         cut(sl.all.data && *sl.all.data ? sl.all.data : " ", SLACK_TOP_TEXT),
                         "blocks", sl.blocks);
    else
        json_decref(sl.blocks);
    sb_buf_free(&sl.all);
    sb_buf_free(&sl.overflow);
    if (!body)
        return SB_ERR_NOMEM;
    *out = body;
    return SB_OK;
}
