/*
 * card_load.c: turns a webhook body into the JSON object the checker walks (see internal.h):
 * JSON, or a text/plain body turned into `{"text": ...}`, refused when empty, not an object,
 * not valid JSON (with jansson's position, cleaned to printable ASCII) or nested deeper than
 * CARD_MAX_DEPTH, so that every later walk over the document is bounded.
 */
#include "cards/internal.h"

#include "core/utf8.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define CARD_MAX_DEPTH 64 /* nesting levels of objects and arrays, the root counting as 1 */

/* "text/plain", any case, alone or followed by parameters ("; charset=utf-8"). */
static bool is_text_plain(const char *ct)
{
    static const char tp[] = "text/plain";
    char next;

    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    if (strncasecmp(ct, tp, sizeof(tp) - 1) != 0)
        return false;
    next = ct[sizeof(tp) - 1];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* True when v nests more than CARD_MAX_DEPTH containers. Stops descending at the limit, so the
 * recursion (and every later walk over an accepted card) stays bounded. */
static bool too_deep(json_t *v, int level)
{
    const char *key;
    json_t *item;
    size_t i;

    if (!json_is_object(v) && !json_is_array(v))
        return false;
    if (level > CARD_MAX_DEPTH)
        return true;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (too_deep(item, level + 1))
                return true;
        }
        return false;
    }
    json_object_foreach(v, key, item)
    {
        if (too_deep(item, level + 1))
            return true;
    }
    return false;
}

/* A text/plain body becomes the MessageCard `{"text": body}`, exactly as sent (card_load_root has
 * already refused a blank one). */
static sb_err text_card(const char *body, size_t len, json_t **out, struct sb_diag *diag)
{
    json_t *card, *text;

    if (memchr(body, '\0', len))
        return card_bad_body(diag, "The text/plain body must not contain NUL characters.");
    if (!sb_utf8_valid(body, len))
        return card_bad_body(diag, "The text/plain body is not valid UTF-8.");
    card = json_object();
    text = json_stringn(body, len);
    if (!card || !text || json_object_set_new(card, "text", text) != 0) {
        json_decref(card);
        if (!card)
            json_decref(text);
        return card_nomem(diag);
    }
    *out = card;
    return SB_OK;
}

/* jansson's message may quote the offending input; keep only printable ASCII of it so that
 * the answer stays valid text whatever was sent. */
static void clean_text(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
            *s = '?';
}

sb_err card_load_root(const char *body, size_t len, const char *content_type, json_t **out,
                      struct sb_diag *diag)
{
    json_error_t jerr;
    json_t *v;
    size_t n = len;

    *out = NULL;
    card_trim(body, &n);
    if (n == 0)
        return card_bad_body(diag, "The body is empty.");
    /* JSON_DECODE_ANY so that a scalar body gets "must be a JSON object", not a syntax error. */
    v = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
    if (is_text_plain(content_type) && !json_is_object(v)) {
        json_decref(v);
        return text_card(body, len, out, diag);
    }
    if (!v) {
        clean_text(jerr.text);
        return sb_fail(diag, SB_ERR_INVALID, "badPayload",
                       "%s The body is not valid JSON (line %d, column %d: %s).", BAD_PAYLOAD,
                       jerr.line, jerr.column, jerr.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return card_bad_body(diag, "The body must be a JSON object.");
    }
    if (too_deep(v, 1)) {
        json_decref(v);
        return sb_fail(diag, SB_ERR_INVALID, "badPayload",
                       "%s The JSON nests deeper than %d levels.", BAD_PAYLOAD, CARD_MAX_DEPTH);
    }
    *out = v;
    return SB_OK;
}