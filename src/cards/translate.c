/*
 * translate.c: MessageCard -> Adaptive Card 1.4, Adaptive Cards -> Slack and e-mail
 * (translate.h).
 */
#include "cards/translate.h"

#include "cards/cards.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Building JSON: every helper records an allocation failure in *ok and keeps going, so the
 * builders read as the card they make; the caller checks ok once. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
    if (!v || !obj || json_object_set_new(obj, key, v) != 0)
        *ok = false;
}

static void push(json_t *arr, json_t *v, bool *ok)
{
    if (!v || !arr || json_array_append_new(arr, v) != 0)
        *ok = false;
}

static const char *str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s && *s ? s : NULL;
}

static json_t *text_block(const char *text, const char *size, const char *weight, bool subtle,
                          bool *ok)
{
    json_t *b = json_object();

    put(b, "type", json_string("TextBlock"), ok);
    put(b, "text", json_string(text), ok);
    put(b, "wrap", json_true(), ok);
    if (size)
        put(b, "size", json_string(size), ok);
    if (weight)
        put(b, "weight", json_string(weight), ok);
    if (subtle)
        put(b, "isSubtle", json_true(), ok);
    return b;
}

static json_t *image(const char *url, const char *alt, const char *size, const char *style,
                     bool *ok)
{
    json_t *i = json_object();

    put(i, "type", json_string("Image"), ok);
    put(i, "url", json_string(url), ok);
    if (alt)
        put(i, "altText", json_string(alt), ok);
    if (size)
        put(i, "size", json_string(size), ok);
    if (style)
        put(i, "style", json_string(style), ok);
    return i;
}

/* An http(s) URL: Adaptive Cards' Image.url and Action.OpenUrl.url take only those here. */
static bool web_url(const char *s)
{
    return s && (strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0);
}

/* The URI an OpenUri action opens: targets[] ({os, uri}, "default" first) or the older
 * shape's "uri". */
static const char *open_uri(json_t *a)
{
    json_t *targets = json_object_get(a, "targets"), *t;
    const char *any = NULL;
    size_t i;

    json_array_foreach(targets, i, t)
    {
        const char *os = str(t, "os"), *uri = str(t, "uri");

        if (!uri)
            continue;
        if (!os || strcasecmp(os, "default") == 0)
            return uri;
        if (!any)
            any = uri;
    }
    return any ? any : str(a, "uri");
}

/* potentialAction entries: OpenUri -> Action.OpenUrl; the rest kept as text in body. */
static void actions(json_t *list, json_t *acts, json_t *body, bool *ok)
{
    json_t *a;
    size_t i;

    json_array_foreach(list, i, a)
    {
        const char *type = str(a, "@type"), *name = str(a, "name");
        const char *uri = type && strcasecmp(type, "OpenUri") == 0 ? open_uri(a) : NULL;
        char line[1024];

        if (web_url(uri)) {
            json_t *o = json_object();

            put(o, "type", json_string("Action.OpenUrl"), ok);
            put(o, "title", json_string(name ? name : uri), ok);
            put(o, "url", json_string(uri), ok);
            push(acts, o, ok);
            continue;
        }
        /* No equivalent a Workflows card can run (HttpPOST, ActionCard, add-in commands):
         * say what the sender offered. */
        if (uri)
            snprintf(line, sizeof(line), "%s: %s", name ? name : "Link", uri);
        else if (type && strcasecmp(type, "HttpPOST") == 0 && str(a, "target"))
            snprintf(line, sizeof(line), "Action \"%s\" (HttpPOST to %s) is not available here.",
                     name ? name : "", str(a, "target"));
        else
            snprintf(line, sizeof(line), "Action \"%s\" (%s) is not available here.",
                     name ? name : "", type ? type : "unknown");
        push(body, text_block(line, "Small", NULL, true, ok), ok);
    }
}

static void section(json_t *s, json_t *body, json_t *acts, bool *ok)
{
    json_t *c = json_object(), *items = json_array(), *facts, *f, *imgs;
    const char *at = str(s, "activityTitle"), *asub = str(s, "activitySubtitle");
    const char *atext = str(s, "activityText"), *aimg = str(s, "activityImage");
    const char *hero = str(json_object_get(s, "heroImage"), "image");
    size_t i;

    put(c, "type", json_string("Container"), ok);
    if (json_is_true(json_object_get(s, "startGroup")))
        put(c, "separator", json_true(), ok);
    if (at || asub || atext || aimg) {
        json_t *cs = json_object(), *cols = json_array(), *right = json_object(),
               *ritems = json_array();

        put(cs, "type", json_string("ColumnSet"), ok);
        if (web_url(aimg)) {
            json_t *left = json_object(), *litems = json_array();

            put(left, "type", json_string("Column"), ok);
            put(left, "width", json_string("auto"), ok);
            push(litems, image(aimg, at ? at : "", "Small", "Person", ok), ok);
            put(left, "items", litems, ok);
            push(cols, left, ok);
        } else if (aimg) {
            push(ritems, text_block(aimg, "Small", NULL, true, ok), ok);
        }
        put(right, "type", json_string("Column"), ok);
        put(right, "width", json_string("stretch"), ok);
        if (at)
            push(ritems, text_block(at, NULL, "Bolder", false, ok), ok);
        if (asub)
            push(ritems, text_block(asub, "Small", NULL, true, ok), ok);
        if (atext)
            push(ritems, text_block(atext, NULL, NULL, false, ok), ok);
        if (!json_array_size(ritems))
            push(ritems, text_block(" ", NULL, NULL, false, ok), ok);
        put(right, "items", ritems, ok);
        push(cols, right, ok);
        put(cs, "columns", cols, ok);
        push(items, cs, ok);
    }
    if (str(s, "title"))
        push(items, text_block(str(s, "title"), "Medium", "Bolder", false, ok), ok);
    if (web_url(hero))
        push(items, image(hero, str(json_object_get(s, "heroImage"), "title"), "Stretch", NULL, ok),
             ok);
    if (str(s, "text"))
        push(items, text_block(str(s, "text"), NULL, NULL, false, ok), ok);
    facts = json_object_get(s, "facts");
    if (json_array_size(facts)) {
        json_t *fs = json_object(), *list = json_array();

        put(fs, "type", json_string("FactSet"), ok);
        json_array_foreach(facts, i, f)
        {
            json_t *one = json_object();
            json_t *v = json_object_get(f, "value");
            char num[64];
            const char *value = json_string_value(v);

            if (!value && json_is_number(v)) {
                snprintf(num, sizeof(num), "%g", json_number_value(v));
                value = num;
            }
            put(one, "title", json_string(str(f, "name") ? str(f, "name") : ""), ok);
            put(one, "value", json_string(value ? value : ""), ok);
            push(list, one, ok);
        }
        put(fs, "facts", list, ok);
        push(items, fs, ok);
    }
    imgs = json_object_get(s, "images");
    if (json_array_size(imgs)) {
        json_t *set = json_object(), *list = json_array(), *im;

        put(set, "type", json_string("ImageSet"), ok);
        json_array_foreach(imgs, i, im)
        {
            const char *u = str(im, "image");

            if (web_url(u))
                push(list, image(u, str(im, "title"), NULL, NULL, ok), ok);
            else if (u)
                push(items, text_block(u, "Small", NULL, true, ok), ok);
        }
        put(set, "images", list, ok);
        if (json_array_size(list))
            push(items, set, ok);
        else
            json_decref(set);
    }
    actions(json_object_get(s, "potentialAction"), acts, items, ok);
    if (!json_array_size(items)) {
        json_decref(items);
        json_decref(c);
        return;
    }
    put(c, "items", items, ok);
    push(body, c, ok);
}

/* Container styles of Adaptive Cards nearest to a themeColor (hex, with or without '#'). */
static const char *style_of(const char *color)
{
    unsigned r, g, b;

    if (!color)
        return NULL;
    if (*color == '#')
        color++;
    if (strlen(color) != 6 || sscanf(color, "%2x%2x%2x", &r, &g, &b) != 3)
        return "emphasis";
    if (r > 150 && g < 110 && b < 110)
        return "attention";
    if (g > 120 && r < 120 && b < 140)
        return "good";
    if (r > 180 && g > 120 && b < 100)
        return "warning";
    return "accent";
}

sb_err card_messagecard_to_adaptive(json_t *mc, json_t **out)
{
    json_t *card = json_object(), *outer = json_object(), *body = json_array(),
           *acts = json_array(), *cbody = json_array(), *s;
    const char *title = str(mc, "title"), *text = str(mc, "text"), *summary = str(mc, "summary");
    const char *style = style_of(str(mc, "themeColor"));
    bool ok = true;
    size_t i;

    *out = NULL;
    put(card, "type", json_string("AdaptiveCard"), &ok);
    put(card, "$schema", json_string("http://adaptivecards.io/schemas/adaptive-card.json"), &ok);
    put(card, "version", json_string("1.4"), &ok);
    if (title)
        push(body, text_block(title, "Large", "Bolder", false, &ok), &ok);
    if (text)
        push(body, text_block(text, NULL, NULL, false, &ok), &ok);
    if (summary && !title && !text)
        push(body, text_block(summary, NULL, NULL, false, &ok), &ok);
    json_array_foreach(json_object_get(mc, "sections"), i, s)
    {
        section(s, body, acts, &ok);
    }
    actions(json_object_get(mc, "potentialAction"), acts, body, &ok);
    if (!json_array_size(body))
        push(body, text_block(summary ? summary : " ", NULL, NULL, false, &ok), &ok);
    /* One outer Container carries themeColor's nearest style (full width, as Teams shows the
     * colour bar across the card). */
    put(outer, "type", json_string("Container"), &ok);
    if (style)
        put(outer, "style", json_string(style), &ok);
    put(outer, "items", body, &ok);
    push(cbody, outer, &ok);
    put(card, "body", cbody, &ok);
    if (json_array_size(acts))
        put(card, "actions", acts, &ok);
    else
        json_decref(acts);
    put(card, "msteams", json_pack("{s:s}", "width", "Full"), &ok);
    if (!ok) {
        json_decref(card);
        return SB_ERR_NOMEM;
    }
    *out = card;
    return SB_OK;
}

sb_err card_adaptive_envelope(json_t *content, json_t **out)
{
    *out = json_pack("{s:s, s:[{s:s, s:o}]}", "type", "message", "attachments", "contentType",
                     CARD_TYPE_ADAPTIVE, "content", content);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

static void no_id(void *arg, char out[37])
{
    (void)arg;
    snprintf(out, 37, "00000000-0000-4000-8000-000000000000");
}

sb_err card_translate_messagecard(const char *body, size_t len, char **out, struct sb_diag *diag)
{
    struct card_message cm = {0};
    json_t *mc = NULL, *card = NULL, *env = NULL;
    sb_err err;

    *out = NULL;
    err = sb_json_parse_object(body, len, &mc, diag);
    if (err)
        goto out;
    {
        const char *type = str(mc, "type"), *at = str(mc, "@type");

        if ((type && strcasecmp(type, "message") == 0) ||
            (at && strcasecmp(at, "MessageCard") != 0)) {
            err = sb_fail(diag, SB_ERR_INVALID, "badRequest", "%s",
                          "The body must be a MessageCard (@type MessageCard).");
            goto out;
        }
    }
    /* The webhook's own rules decide what a valid MessageCard is (text or summary, sizes). */
    err = card_message_parse(body, len, "application/json", no_id, NULL, &cm, diag);
    if (err)
        goto out;
    err = card_messagecard_to_adaptive(mc, &card);
    if (!err)
        err = card_adaptive_envelope(card, &env);
    card = NULL;
    if (!err)
        err = sb_json_dump(env, out);
out:
    card_message_free(&cm);
    json_decref(mc);
    json_decref(env);
    return err;
}

/* --- a stored message's cards ------------------------------------------------------------- */

sb_err card_html_text(const char *html, char **out)
{
    static const struct {
        const char *ent, *ch;
    } ents[] = {{"&amp;", "&"},   {"&lt;", "<"},  {"&gt;", ">"},
                {"&quot;", "\""}, {"&#39;", "'"}, {"&nbsp;", " "}};
    struct sb_buf b = {0};
    sb_err err = SB_OK;

    *out = NULL;
    for (const char *p = html; *p && !err;) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            size_t n;

            if (!e)
                break;
            n = (size_t)(e - p);
            /* Block ends become line breaks so paragraphs stay apart. */
            if ((n >= 3 && (strncasecmp(p, "<br", 3) == 0 || strncasecmp(p, "</p", 3) == 0 ||
                            strncasecmp(p, "</li", 4) == 0 || strncasecmp(p, "</div", 5) == 0 ||
                            strncasecmp(p, "</tr", 4) == 0)))
                err = sb_buf_puts(&b, "\n");
            p = e + 1;
            continue;
        }
        if (*p == '&') {
            size_t k;

            for (k = 0; k < sizeof(ents) / sizeof(ents[0]); k++)
                if (strncmp(p, ents[k].ent, strlen(ents[k].ent)) == 0)
                    break;
            if (k < sizeof(ents) / sizeof(ents[0])) {
                err = sb_buf_puts(&b, ents[k].ch);
                p += strlen(ents[k].ent);
                continue;
            }
        }
        err = sb_buf_append(&b, p, 1);
        p++;
    }
    if (!err)
        err = sb_buf_puts(&b, "");
    if (err) {
        sb_buf_free(&b);
        return err;
    }
    *out = sb_buf_take(&b);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

sb_err card_text_adaptive(const char *from, const char *text, json_t **out)
{
    json_t *card = json_object(), *body = json_array();
    bool ok = true;

    put(card, "type", json_string("AdaptiveCard"), &ok);
    put(card, "$schema", json_string("http://adaptivecards.io/schemas/adaptive-card.json"), &ok);
    put(card, "version", json_string("1.4"), &ok);
    if (from && *from)
        push(body, text_block(from, "Small", "Bolder", true, &ok), &ok);
    push(body, text_block(text && *text ? text : " ", NULL, NULL, false, &ok), &ok);
    put(card, "body", body, &ok);
    if (!ok) {
        json_decref(card);
        *out = NULL;
        return SB_ERR_NOMEM;
    }
    *out = card;
    return SB_OK;
}

sb_err card_message_adaptive(const char *from, const char *body_type, const char *body,
                             const char *attachments, json_t **out)
{
    json_t *atts = attachments ? json_loads(attachments, 0, NULL) : NULL, *a;
    json_t *cards = json_array();
    sb_err err = SB_OK;
    size_t i;

    *out = NULL;
    if (!cards) {
        json_decref(atts);
        return SB_ERR_NOMEM;
    }
    json_array_foreach(atts, i, a)
    {
        const char *ct = str(a, "contentType");
        json_t *content = json_object_get(a, "content"), *parsed = NULL, *card = NULL;

        if (json_is_string(content))
            content = parsed = json_loads(json_string_value(content), 0, NULL);
        if (!json_is_object(content) || !ct) {
            json_decref(parsed);
            continue;
        }
        if (strcmp(ct, CARD_TYPE_ADAPTIVE) == 0)
            card = json_incref(content);
        else if (strcmp(ct, CARD_TYPE_MESSAGECARD) == 0)
            err = card_messagecard_to_adaptive(content, &card);
        json_decref(parsed);
        if (!err && card && json_array_append_new(cards, card) != 0)
            err = SB_ERR_NOMEM;
        if (err)
            break;
    }
    json_decref(atts);
    if (!err && !json_array_size(cards)) {
        char *text = NULL;
        json_t *card = NULL;

        if (body_type && strcmp(body_type, "html") == 0)
            err = card_html_text(body ? body : "", &text);
        else if (!(text = strdup(body ? body : "")))
            err = SB_ERR_NOMEM;
        if (!err)
            err = card_text_adaptive(from, text, &card);
        if (!err && json_array_append_new(cards, card) != 0)
            err = SB_ERR_NOMEM;
        free(text);
    }
    if (err) {
        json_decref(cards);
        return err;
    }
    *out = cards;
    return SB_OK;
}

/* --- walking an Adaptive Card ------------------------------------------------------------- */

/* What the walk meets, in reading order; the Slack and e-mail writers implement it. */
struct walker {
    void (*heading)(struct walker *w, const char *text);
    void (*text)(struct walker *w, const char *text, bool subtle);
    void (*fact)(struct walker *w, const char *title, const char *value);
    void (*facts_end)(struct walker *w);
    void (*image)(struct walker *w, const char *url, const char *alt);
    void (*link)(struct walker *w, const char *title, const char *url);
    bool ok;
};

static void walk_actions(struct walker *w, json_t *acts);

static void walk_elements(struct walker *w, json_t *items, int depth)
{
    json_t *e;
    size_t i;

    if (depth > 16)
        return;
    json_array_foreach(items, i, e)
    {
        const char *type = str(e, "type");

        if (!type)
            continue;
        if (strcmp(type, "TextBlock") == 0 && str(e, "text")) {
            const char *size = str(e, "size"), *weight = str(e, "weight");
            bool big =
                (size && (strcasecmp(size, "large") == 0 || strcasecmp(size, "extraLarge") == 0)) ||
                (weight && strcasecmp(weight, "bolder") == 0 && size &&
                 strcasecmp(size, "medium") == 0);

            if (big)
                w->heading(w, str(e, "text"));
            else
                w->text(w, str(e, "text"), json_is_true(json_object_get(e, "isSubtle")));
        } else if (strcmp(type, "RichTextBlock") == 0) {
            struct sb_buf b = {0};
            json_t *r;
            size_t k;

            json_array_foreach(json_object_get(e, "inlines"), k, r)
            {
                const char *t = json_is_string(r) ? json_string_value(r) : str(r, "text");

                if (t && sb_buf_puts(&b, t))
                    w->ok = false;
            }
            if (b.len && sb_buf_puts(&b, "") == SB_OK)
                w->text(w, b.data, false);
            sb_buf_free(&b);
        } else if (strcmp(type, "FactSet") == 0) {
            json_t *f;
            size_t k;

            json_array_foreach(json_object_get(e, "facts"), k, f)
            {
                w->fact(w, str(f, "title") ? str(f, "title") : "",
                        str(f, "value") ? str(f, "value") : "");
            }
            w->facts_end(w);
        } else if (strcmp(type, "Image") == 0 && web_url(str(e, "url"))) {
            w->image(w, str(e, "url"), str(e, "altText"));
        } else if (strcmp(type, "ImageSet") == 0) {
            walk_elements(w, json_object_get(e, "images"), depth + 1);
        } else if (strcmp(type, "ColumnSet") == 0) {
            json_t *c;
            size_t k;

            json_array_foreach(json_object_get(e, "columns"), k, c)
            {
                walk_elements(w, json_object_get(c, "items"), depth + 1);
            }
        } else if (strcmp(type, "ActionSet") == 0) {
            walk_actions(w, json_object_get(e, "actions"));
        } else if (strcmp(type, "Table") == 0) {
            json_t *row;
            size_t k;

            json_array_foreach(json_object_get(e, "rows"), k, row)
            {
                json_t *cell;
                size_t j;

                json_array_foreach(json_object_get(row, "cells"), j, cell)
                {
                    walk_elements(w, json_object_get(cell, "items"), depth + 1);
                }
            }
        } else {
            /* Containers and anything else with items: its text is read, not dropped. */
            walk_elements(w, json_object_get(e, "items"), depth + 1);
            if (str(e, "title") && str(e, "value"))
                w->fact(w, str(e, "title"), str(e, "value"));
            else if (str(e, "label"))
                w->text(w, str(e, "label"), true);
        }
    }
}

static void walk_actions(struct walker *w, json_t *acts)
{
    json_t *a;
    size_t i;

    json_array_foreach(acts, i, a)
    {
        const char *type = str(a, "type"), *title = str(a, "title");

        if (type && strcmp(type, "Action.OpenUrl") == 0 && web_url(str(a, "url")))
            w->link(w, title ? title : str(a, "url"), str(a, "url"));
        else if (type && strcmp(type, "Action.ShowCard") == 0) {
            json_t *card = json_object_get(a, "card");

            if (title)
                w->text(w, title, true);
            walk_elements(w, json_object_get(card, "body"), 1);
            walk_actions(w, json_object_get(card, "actions"));
        } else if (title) {
            w->text(w, title, true);
        }
    }
}

static void walk_cards(struct walker *w, json_t *cards)
{
    json_t *c;
    size_t i;

    json_array_foreach(cards, i, c)
    {
        walk_elements(w, json_object_get(c, "body"), 0);
        walk_actions(w, json_object_get(c, "actions"));
    }
}

/* --- Slack -------------------------------------------------------------------------------- */

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
    push(sl->blocks, b, &w->ok);
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
    push(sl->blocks, b, &w->ok);
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
        push(sl->blocks, b, &w->ok);
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
    push(sl->fields, f, &w->ok);
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
    push(sl->blocks,
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
    push(sl->buttons,
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
    walk_cards(&sl.w, cards);
    /* Past Slack's 50 blocks, the rest is one last section: shortened, never silently lost
     * (the top-level text has all of it). */
    if (sl.overflow.len && sb_buf_puts(&sl.overflow, "") == SB_OK)
        push(sl.blocks,
             json_pack("{s:s, s:{s:s, s:o}}", "type", "section", "text", "type", "mrkdwn", "text",
                       cut(sl.overflow.data, SLACK_SECTION_TEXT)),
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

/* --- e-mail ------------------------------------------------------------------------------- */

struct mail {
    struct walker w;
    struct sb_buf html, text;
    bool in_facts;
};

static void esc(struct mail *m, const char *s)
{
    for (; *s; s++) {
        const char *r = *s == '<'    ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '&'  ? "&amp;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\n' ? "<br>"
                                     : NULL;
        if (r ? sb_buf_puts(&m->html, r) : sb_buf_append(&m->html, s, 1))
            m->w.ok = false;
    }
}

static void mail_put(struct mail *m, const char *html)
{
    if (sb_buf_puts(&m->html, html))
        m->w.ok = false;
}

static void mail_plain(struct mail *m, const char *a, const char *b)
{
    if (sb_buf_puts(&m->text, a) || (b && sb_buf_puts(&m->text, b)) || sb_buf_puts(&m->text, "\n"))
        m->w.ok = false;
}

static void mail_facts_end(struct walker *w)
{
    struct mail *m = (struct mail *)w;

    if (m->in_facts)
        mail_put(m, "</table></td></tr>");
    m->in_facts = false;
}

static void mail_heading(struct walker *w, const char *text)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:8px 16px 4px;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:18px;font-weight:bold;color:#242424\">");
    esc(m, text);
    mail_put(m, "</td></tr>");
    mail_plain(m, text, NULL);
}

static void mail_text(struct walker *w, const char *text, bool subtle)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, subtle ? "<tr><td style=\"padding:4px 16px;font-family:Segoe UI,Arial,sans-serif;"
                         "font-size:12px;color:#616161\">"
                       : "<tr><td style=\"padding:4px 16px;font-family:Segoe UI,Arial,sans-serif;"
                         "font-size:14px;color:#242424\">");
    esc(m, text);
    mail_put(m, "</td></tr>");
    mail_plain(m, text, NULL);
}

static void mail_fact(struct walker *w, const char *title, const char *value)
{
    struct mail *m = (struct mail *)w;

    if (!m->in_facts)
        mail_put(m, "<tr><td style=\"padding:4px 16px\"><table role=\"presentation\" "
                    "cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
    m->in_facts = true;
    mail_put(m, "<tr><td style=\"padding:2px 12px 2px 0;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:14px;font-weight:bold;color:#242424;vertical-align:top\">");
    esc(m, title);
    mail_put(m, "</td><td style=\"padding:2px 0;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:14px;color:#242424\">");
    esc(m, value);
    mail_put(m, "</td></tr>");
    if (sb_buf_printf(&m->text, "%s: %s\n", title, value))
        w->ok = false;
}

static void mail_image(struct walker *w, const char *url, const char *alt)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:4px 16px\"><img src=\"");
    esc(m, url);
    mail_put(m, "\" alt=\"");
    esc(m, alt ? alt : "");
    mail_put(m, "\" style=\"max-width:100%;height:auto;border:0\"></td></tr>");
    mail_plain(m, alt && *alt ? alt : "[image]", " ");
    if (sb_buf_puts(&m->text, url) || sb_buf_puts(&m->text, "\n"))
        w->ok = false;
}

static void mail_link(struct walker *w, const char *title, const char *url)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:8px 16px\"><a href=\"");
    esc(m, url);
    mail_put(m, "\" style=\"display:inline-block;padding:6px 12px;background:#5b5fc7;color:#ffffff;"
                "font-family:Segoe UI,Arial,sans-serif;font-size:14px;text-decoration:none;"
                "border-radius:4px\">");
    esc(m, title);
    mail_put(m, "</a></td></tr>");
    mail_plain(m, title, ": ");
    if (sb_buf_puts(&m->text, url) || sb_buf_puts(&m->text, "\n"))
        w->ok = false;
}

sb_err card_to_email(json_t *cards, char **html, char **text)
{
    struct mail m = {
        {mail_heading, mail_text, mail_fact, mail_facts_end, mail_image, mail_link, true},
        {0},
        {0},
        false};

    *html = *text = NULL;
    mail_put(&m, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                 "<body style=\"margin:0;padding:16px;background:#f5f5f5\">"
                 "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                 "border=\"0\" style=\"max-width:640px;background:#ffffff;border:1px solid "
                 "#e0e0e0;border-radius:4px\">");
    walk_cards(&m.w, cards);
    mail_facts_end(&m.w);
    mail_put(&m, "</table></body></html>");
    if (sb_buf_puts(&m.text, ""))
        m.w.ok = false;
    if (!m.w.ok) {
        sb_buf_free(&m.html);
        sb_buf_free(&m.text);
        return SB_ERR_NOMEM;
    }
    *html = sb_buf_take(&m.html);
    *text = sb_buf_take(&m.text);
    return SB_OK;
}
