/*
 * walk.c: reading an Adaptive Card in order (see walk.h).
 */
#include "cards/walk.h"

#include "cards/translate.h"
#include "core/buf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

void card_push(json_t *arr, json_t *v, bool *ok)
{
    if (!v || !arr || json_array_append_new(arr, v) != 0)
        *ok = false;
}

const char *card_str(json_t *obj, const char *key)
{
    const char *s = json_string_value(json_object_get(obj, key));

    return s && *s ? s : NULL;
}

bool card_web_url(const char *s)
{
    return s && (strncasecmp(s, "https://", 8) == 0 || strncasecmp(s, "http://", 7) == 0);
}

static void walk_actions(struct walker *w, json_t *acts);

static void walk_elements(struct walker *w, json_t *items, int depth)
{
    json_t *e;
    size_t i;

    if (depth > 16)
        return;
    json_array_foreach(items, i, e)
    {
        const char *type = card_str(e, "type");

        if (!type)
            continue;
        if (strcmp(type, "TextBlock") == 0 && card_str(e, "text")) {
            const char *size = card_str(e, "size"), *weight = card_str(e, "weight");
            bool big =
                (size && (strcasecmp(size, "large") == 0 || strcasecmp(size, "extraLarge") == 0)) ||
                (weight && strcasecmp(weight, "bolder") == 0 && size &&
                 strcasecmp(size, "medium") == 0);

            if (big)
                w->heading(w, card_str(e, "text"));
            else
                w->text(w, card_str(e, "text"), json_is_true(json_object_get(e, "isSubtle")));
        } else if (strcmp(type, "RichTextBlock") == 0) {
            struct sb_buf b = {0};
            json_t *r;
            size_t k;

            json_array_foreach(json_object_get(e, "inlines"), k, r)
            {
                const char *t = json_is_string(r) ? json_string_value(r) : card_str(r, "text");

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
                w->fact(w, card_str(f, "title") ? card_str(f, "title") : "",
                        card_str(f, "value") ? card_str(f, "value") : "");
            }
            w->facts_end(w);
        } else if (strcmp(type, "Image") == 0 && card_web_url(card_str(e, "url"))) {
            w->image(w, card_str(e, "url"), card_str(e, "altText"));
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
            if (card_str(e, "title") && card_str(e, "value"))
                w->fact(w, card_str(e, "title"), card_str(e, "value"));
            else if (card_str(e, "label"))
                w->text(w, card_str(e, "label"), true);
        }
    }
}

static void walk_actions(struct walker *w, json_t *acts)
{
    json_t *a;
    size_t i;

    json_array_foreach(acts, i, a)
    {
        const char *type = card_str(a, "type"), *title = card_str(a, "title");

        if (type && strcmp(type, "Action.OpenUrl") == 0 && card_web_url(card_str(a, "url")))
            w->link(w, title ? title : card_str(a, "url"), card_str(a, "url"));
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

void card_walk(struct walker *w, json_t *cards)
{
    json_t *c;
    size_t i;

    json_array_foreach(cards, i, c)
    {
        walk_elements(w, json_object_get(c, "body"), 0);
        walk_actions(w, json_object_get(c, "actions"));
    }
}
