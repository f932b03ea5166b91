/*
 * cardtext.c: the words people read in a card (cardtext.h).
 */
#include "core/cardtext.h"

#include <stdbool.h>
#include <string.h>

#define CARD_DEPTH_MAX 32

/* The card properties that hold text people read (MessageCard and Adaptive Card). */
static const char *const text_keys[] = {
    "title",        "subtitle", "text",  "summary", "activityTitle", "activitySubtitle",
    "activityText", "name",     "value", "altText", "fallbackText",  "label",
    "placeholder",  NULL,
};

static bool is_text_key(const char *key)
{
    for (size_t i = 0; key && text_keys[i]; i++)
        if (!strcmp(key, text_keys[i]))
            return true;
    return false;
}

static sb_err walk(struct sb_buf *b, json_t *v, const char *key, int depth, size_t max)
{
    const char *k, *s;
    json_t *e;
    size_t i;
    sb_err err = SB_OK;

    if (depth > CARD_DEPTH_MAX || b->len >= max)
        return SB_OK;
    if (json_is_object(v)) {
        json_object_foreach(v, k, e)
        {
            if ((err = walk(b, e, k, depth + 1, max)))
                return err;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e)
        {
            if ((err = walk(b, e, key, depth + 1, max)))
                return err;
        }
    } else if (json_is_string(v) && is_text_key(key) && json_string_length(v)) {
        s = json_string_value(v);
        /* Links are not words people search for. */
        if (!strncmp(s, "http://", 7) || !strncmp(s, "https://", 8) || !strncmp(s, "data:", 5))
            return SB_OK;
        if (b->len && (err = sb_buf_append(b, "\n", 1)))
            return err;
        err = sb_buf_append(b, s, json_string_length(v));
    }
    return err;
}

sb_err sb_card_text_append(struct sb_buf *b, json_t *card, size_t max)
{
    return walk(b, card, NULL, 0, max);
}
