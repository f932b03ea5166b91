/*
 * translate.c: MessageCard -> Adaptive Card 1.4 and people's messages as Adaptive Cards
 * (translate.h); Slack and e-mail: translate_slack.c, translate_mail.c.
 */
#include "cards/translate.h"

#include "cards/cards.h"
#include "cards/walk.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Building JSON: every helper records an allocation failure in *ok and keeps going, so the
 * builders read as the card they make; the caller checks ok once. */
static void put(json_t *obj, const char *key, json_t *v, bool *ok)
{
    if (!v || !obj || json_object_set_new(obj, key, v) != 0)
        *ok = false;
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
/* The URI an OpenUri action opens: targets[] ({os, uri}, "default" first) or the older
 * shape's "uri". */
static const char *open_uri(json_t *a)
{
    json_t *targets = json_object_get(a, "targets"), *t;
    const char *any = NULL;
    size_t i;

    json_array_foreach(targets, i, t)
    {
        const char *os = card_str(t, "os"), *uri = card_str(t, "uri");

        if (!uri)
            continue;
        if (!os || strcasecmp(os, "default") == 0)
            return uri;
        if (!any)
            any = uri;
    }
    return any ? any : card_str(a, "uri");
}

/* potentialAction entries: OpenUri -> Action.OpenUrl; the rest kept as text in body. */
static void actions(json_t *list, json_t *acts, json_t *body, bool *ok)
{
    json_t *a;
    size_t i;

    json_array_foreach(list, i, a)
    {
        const char *type = card_str(a, "@type"), *name = card_str(a, "name");
        const char *uri = type && strcasecmp(type, "OpenUri") == 0 ? open_uri(a) : NULL;
        char line[1024];

        if (card_web_url(uri)) {
            json_t *o = json_object();

            put(o, "type", json_string("Action.OpenUrl"), ok);
            put(o, "title", json_string(name ? name : uri), ok);
            put(o, "url", json_string(uri), ok);
            card_push(acts, o, ok);
            continue;
        }
        /* No equivalent a Workflows card can run (HttpPOST, ActionCard, add-in commands):
         * say what the sender offered. */
        if (uri)
            snprintf(line, sizeof(line), "%s: %s", name ? name : "Link", uri);
        else if (type && strcasecmp(type, "HttpPOST") == 0 && card_str(a, "target"))
            snprintf(line, sizeof(line), "Action \"%s\" (HttpPOST to %s) is not available here.",
                     name ? name : "", card_str(a, "target"));
        else
            snprintf(line, sizeof(line), "Action \"%s\" (%s) is not available here.",
                     name ? name : "", type ? type : "unknown");
        card_push(body, text_block(line, "Small", NULL, true, ok), ok);
    }
}

static void section(json_t *s, json_t *body, json_t *acts, bool *ok)
{
    json_t *c = json_object(), *items = json_array(), *facts, *f, *imgs;
    const char *at = card_str(s, "activityTitle"), *asub = card_str(s, "activitySubtitle");
    const char *atext = card_str(s, "activityText"), *aimg = card_str(s, "activityImage");
    const char *hero = card_str(json_object_get(s, "heroImage"), "image");
    size_t i;

    put(c, "type", json_string("Container"), ok);
    if (json_is_true(json_object_get(s, "startGroup")))
        put(c, "separator", json_true(), ok);
    if (at || asub || atext || aimg) {
        json_t *cs = json_object(), *cols = json_array(), *right = json_object(),
               *ritems = json_array();

        put(cs, "type", json_string("ColumnSet"), ok);
        if (card_web_url(aimg)) {
            json_t *left = json_object(), *litems = json_array();

            put(left, "type", json_string("Column"), ok);
            put(left, "width", json_string("auto"), ok);
            card_push(litems, image(aimg, at ? at : "", "Small", "Person", ok), ok);
            put(left, "items", litems, ok);
            card_push(cols, left, ok);
        } else if (aimg) {
            card_push(ritems, text_block(aimg, "Small", NULL, true, ok), ok);
        }
        put(right, "type", json_string("Column"), ok);
        put(right, "width", json_string("stretch"), ok);
        if (at)
            card_push(ritems, text_block(at, NULL, "Bolder", false, ok), ok);
        if (asub)
            card_push(ritems, text_block(asub, "Small", NULL, true, ok), ok);
        if (atext)
            card_push(ritems, text_block(atext, NULL, NULL, false, ok), ok);
        if (!json_array_size(ritems))
            card_push(ritems, text_block(" ", NULL, NULL, false, ok), ok);
        put(right, "items", ritems, ok);
        card_push(cols, right, ok);
        put(cs, "columns", cols, ok);
        card_push(items, cs, ok);
    }
    if (card_str(s, "title"))
        card_push(items, text_block(card_str(s, "title"), "Medium", "Bolder", false, ok), ok);
    if (card_web_url(hero))
        card_push(
            items,
            image(hero, card_str(json_object_get(s, "heroImage"), "title"), "Stretch", NULL, ok),
            ok);
    if (card_str(s, "text"))
        card_push(items, text_block(card_str(s, "text"), NULL, NULL, false, ok), ok);
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
            put(one, "title", json_string(card_str(f, "name") ? card_str(f, "name") : ""), ok);
            put(one, "value", json_string(value ? value : ""), ok);
            card_push(list, one, ok);
        }
        put(fs, "facts", list, ok);
        card_push(items, fs, ok);
    }
    imgs = json_object_get(s, "images");
    if (json_array_size(imgs)) {
        json_t *set = json_object(), *list = json_array(), *im;

        put(set, "type", json_string("ImageSet"), ok);
        json_array_foreach(imgs, i, im)
        {
            const char *u = card_str(im, "image");

            if (card_web_url(u))
                card_push(list, image(u, card_str(im, "title"), NULL, NULL, ok), ok);
            else if (u)
                card_push(items, text_block(u, "Small", NULL, true, ok), ok);
        }
        put(set, "images", list, ok);
        if (json_array_size(list))
            card_push(items, set, ok);
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
    card_push(body, c, ok);
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
    const char *title = card_str(mc, "title"), *text = card_str(mc, "text"),
               *summary = card_str(mc, "summary");
    const char *style = style_of(card_str(mc, "themeColor"));
    bool ok = true;
    size_t i;

    *out = NULL;
    put(card, "type", json_string("AdaptiveCard"), &ok);
    put(card, "$schema", json_string("http://adaptivecards.io/schemas/adaptive-card.json"), &ok);
    put(card, "version", json_string("1.4"), &ok);
    if (title)
        card_push(body, text_block(title, "Large", "Bolder", false, &ok), &ok);
    if (text)
        card_push(body, text_block(text, NULL, NULL, false, &ok), &ok);
    if (summary && !title && !text)
        card_push(body, text_block(summary, NULL, NULL, false, &ok), &ok);
    json_array_foreach(json_object_get(mc, "sections"), i, s)
    {
        section(s, body, acts, &ok);
    }
    actions(json_object_get(mc, "potentialAction"), acts, body, &ok);
    if (!json_array_size(body))
        card_push(body, text_block(summary ? summary : " ", NULL, NULL, false, &ok), &ok);
    /* One outer Container carries themeColor's nearest style (full width, as Teams shows the
     * colour bar across the card). */
    put(outer, "type", json_string("Container"), &ok);
    if (style)
        put(outer, "style", json_string(style), &ok);
    put(outer, "items", body, &ok);
    card_push(cbody, outer, &ok);
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
        const char *type = card_str(mc, "type"), *at = card_str(mc, "@type");

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
        card_push(body, text_block(from, "Small", "Bolder", true, &ok), &ok);
    card_push(body, text_block(text && *text ? text : " ", NULL, NULL, false, &ok), &ok);
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
        const char *ct = card_str(a, "contentType");
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
