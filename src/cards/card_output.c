/*
 * card_output.c: the parts of a chatMessage built from the accepted cards (see cards.h for
 * their shape): each card serialised as a string inside a Graph-style attachment, the body
 * naming the attachments, and the notification summary picked from the envelope or the first
 * card. Cards are re-serialised by jansson, which keeps every string value exactly; the
 * attachments array around them is written here, in one pass, byte for byte what jansson
 * would write for it (so stored messages do not change): each card is dumped once, escaped
 * as it streams out, instead of being dumped, packed as a string and dumped again.
 */
#include "cards/internal.h"

#include "core/buf.h"
#include "core/cardtext.h"
#include "core/json.h"
#include "core/utf8.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SUMMARY_MAX 256 /* bytes of the notification summary */

/* The first TextBlock with visible text, depth first in document order (jansson keeps the
 * order of keys). Bounded by the depth check done at load. */
static bool find_text_block(json_t *v, const char **s, size_t *n)
{
    const char *key;
    json_t *item, *type;
    size_t i;

    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (find_text_block(item, s, n))
                return true;
        }
        return false;
    }
    if (!json_is_object(v))
        return false;
    type = json_object_get(v, "type");
    if (json_is_string(type) && strcmp(json_string_value(type), "TextBlock") == 0 &&
        card_nonblank_member(v, "text", s, n))
        return true;
    json_object_foreach(v, key, item)
    {
        if (find_text_block(item, s, n))
            return true;
    }
    return false;
}

/* Picks the notification text: the envelope's summary, else the first card's summary, title
 * or text (MessageCard) or first TextBlock (Adaptive Card), else "Card". */
static void summary_source(const struct card_set *set, const char **s, size_t *n)
{
    json_t *card = set->cards[0].content;

    if (set->envelope && card_nonblank_member(set->envelope, "summary", s, n))
        return;
    if (!set->cards[0].adaptive) {
        if (card_nonblank_member(card, "summary", s, n) ||
            card_nonblank_member(card, "title", s, n) || card_nonblank_member(card, "text", s, n))
            return;
    } else if (find_text_block(json_object_get(card, "body"), s, n)) {
        return;
    }
    *s = "Card";
    *n = 4;
}

static sb_err make_summary(const struct card_set *set, char **out)
{
    const char *s;
    size_t n;

    summary_source(set, &s, &n);
    if (n > SUMMARY_MAX) {
        n = sb_utf8_prefix_bytes(s, SUMMARY_MAX);
        s = card_trim(s, &n);
    }
    *out = strndup(s, n);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

/* json_dump_callback's sink: appends the chunk as the inside of a JSON string, escaped as
 * jansson escapes strings without flags (\" \\ \b \f \n \r \t, other control characters as
 * \u00XX, everything else as is). Byte-wise is exact: the dump is valid UTF-8, whose
 * multi-byte sequences hold no byte below 0x80. A failed append is remembered: jansson does
 * not check the sink's answer for object keys, so the dump can go on after one. */
struct escaped_sink {
    struct sb_buf *buf;
    bool failed;
};

static int append_escaped(const char *s, size_t n, void *arg)
{
    struct escaped_sink *sink = arg;

    if (!sink->failed && sb_json_put_escaped(sink->buf, s, n) != SB_OK)
        sink->failed = true;
    return sink->failed ? -1 : 0;
}

/* One element of the attachments array: {"id":..,"contentType":..,"content":"<the card as a
 * JSON string>","name":null}, in jansson's compact form. id and the content types need no
 * escaping. */
static sb_err add_attachment(struct sb_buf *arr, const char *id, const struct card_ref *card)
{
    struct escaped_sink sink = {arr, false};

    if (sb_buf_printf(arr, "%s{\"id\":\"%s\",\"contentType\":\"%s\",\"content\":\"",
                      arr->len > 1 ? "," : "", id,
                      card->adaptive ? CARD_TYPE_ADAPTIVE : CARD_TYPE_MESSAGECARD) ||
        json_dump_callback(card->content, append_escaped, &sink, JSON_COMPACT) != 0 ||
        sink.failed || sb_buf_puts(arr, "\",\"name\":null}"))
        return SB_ERR_NOMEM;
    return SB_OK;
}

/* s without a surrounding <at>..</at> (Teams' entity text is "<at>Name</at>"). */
static void mention_text(const char *s, char *out, size_t size)
{
    size_t n = strlen(s);

    if (n >= 9 && strncasecmp(s, "<at>", 4) == 0 && strcasecmp(s + n - 5, "</at>") == 0) {
        s += 4;
        n -= 9;
    }
    if (n >= size)
        n = sb_utf8_prefix_bytes(s, size - 1);
    memcpy(out, s, n);
    out[n] = '\0';
}

/* The mentions of the Adaptive Cards' msteams.entities ({type:"mention", text, mentioned:{id}});
 * entries of other shapes are left to the renderer, as Teams does. */
static sb_err collect_mentions(const struct card_set *set, struct card_message *out)
{
    for (size_t i = 0; i < set->n; i++) {
        json_t *ents =
            json_object_get(json_object_get(set->cards[i].content, "msteams"), "entities");
        json_t *e;
        size_t k;

        if (!set->cards[i].adaptive || !json_is_array(ents))
            continue;
        json_array_foreach(ents, k, e)
        {
            const char *type = json_string_value(json_object_get(e, "type"));
            const char *text = json_string_value(json_object_get(e, "text"));
            const char *who =
                json_string_value(json_object_get(json_object_get(e, "mentioned"), "id"));
            struct card_mention *m;

            if (!type || strcmp(type, "mention") != 0 || !text || !who || !who[0] ||
                strlen(who) > SB_NAME_MAX)
                continue;
            if (out->n_mentions == CARD_MENTIONS_MAX)
                return SB_OK;
            if (!out->mentions) {
                out->mentions = calloc(CARD_MENTIONS_MAX, sizeof(*out->mentions));
                if (!out->mentions)
                    return SB_ERR_NOMEM;
            }
            m = &out->mentions[out->n_mentions++];
            memcpy(m->who, who, strlen(who) + 1);
            mention_text(text, m->text, sizeof(m->text));
        }
    }
    return SB_OK;
}

sb_err card_build_output(const struct card_set *set, void (*new_id)(void *arg, char out[37]),
                         void *id_arg, struct card_message *out)
{
    struct sb_buf arr = {0}, body = {0}, text = {0};
    sb_err err = SB_ERR_NOMEM;

    if (sb_buf_append(&arr, "[", 1))
        goto out;
    for (size_t i = 0; i < set->n; i++) {
        char id[SB_ID_LEN + 1] = {0};

        new_id(id_arg, id);
        id[SB_ID_LEN] = '\0';
        err = add_attachment(&arr, id, &set->cards[i]);
        if (!err)
            err = sb_buf_printf(&body, "<attachment id=\"%s\"></attachment>", id);
        /* The text search indexes, taken from the parsed card while it is at hand. */
        if (!err)
            err = sb_card_text_append(&text, set->cards[i].content, SB_CARD_TEXT_MAX);
        if (err)
            goto out;
    }
    err = SB_ERR_NOMEM;
    if ((!text.data && sb_buf_append(&text, "", 0)) || sb_buf_append(&arr, "]", 1))
        goto out;
    out->attachments = sb_buf_take(&arr);
    out->body = sb_buf_take(&body);
    out->card_text = sb_buf_take(&text);
    if (!out->attachments || !out->body)
        goto out;
    err = make_summary(set, &out->summary);
    if (!err)
        err = collect_mentions(set, out);
out:
    sb_buf_free(&arr);
    sb_buf_free(&body);
    sb_buf_free(&text);
    return err;
}