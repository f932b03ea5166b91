/*
 * message_write.c: a stored message written straight into a buffer as the Graph chatMessage
 * that teams_message_render gives (the same keys in the same order, compact, as sb_json_dump
 * writes it), without building a jansson tree: a history page is 50 of these, and building and
 * dumping the trees was most of a page's time (issue 23). The stored attachments are copied as
 * they are: the server wrote them itself, already serialised by jansson (webhook ingest, card
 * updates), so parsing and dumping them again would give the same text. A card whose
 * service-calling actions are hidden by policy goes through teams_message_render (the actions
 * are removed from the parsed card), then into the buffer.
 */
#include "teams/teams.h"

#include "cards/card_actions.h"
#include "core/json.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends s as a JSON string literal, escaped as jansson escapes. */
sb_err teams_json_put_string(struct sb_buf *b, const char *s)
{
    sb_err err = sb_buf_append(b, "\"", 1);

    if (!err)
        err = sb_json_put_escaped(b, s, strlen(s));
    if (!err)
        err = sb_buf_append(b, "\"", 1);
    return err;
}

/* "key": then the string s (null when s is NULL). */
static sb_err put_field(struct sb_buf *b, const char *key, const char *s)
{
    sb_err err = sb_buf_puts(b, key);

    if (!err)
        err = s ? teams_json_put_string(b, s) : sb_buf_append(b, "null", 4);
    return err;
}

static sb_err put_reactions(struct sb_buf *b, const struct sb_message *m)
{
    sb_err err = sb_buf_append(b, "[", 1);

    for (size_t i = 0; !err && i < m->n_reactions && !m->deleted[0]; i++) {
        const struct sb_reaction *r = &m->reactions[i];

        err = put_field(b, i ? ",{\"reactionType\":" : "{\"reactionType\":", r->type);
        if (!err)
            err = put_field(b, ",\"createdDateTime\":", r->created);
        if (!err)
            err = put_field(b, ",\"user\":{\"user\":{\"id\":", r->user_id);
        if (!err)
            err = put_field(b, ",\"displayName\":", r->user_name);
        if (!err)
            err = sb_buf_append(b, "}}}", 3);
    }
    return err ? err : sb_buf_append(b, "]", 1);
}

static sb_err put_mention(struct sb_buf *b, const struct sb_mention *x)
{
    sb_err err = sb_buf_printf(b, "{\"id\":%lld,\"mentionText\":", (long long)x->id);

    if (!err)
        err = teams_json_put_string(b, x->text);
    if (!err && x->channel)
        err = put_field(b,
                        ",\"mentioned\":{\"application\":null,\"device\":null,\"user\":null,"
                        "\"tag\":null,\"conversation\":{\"id\":",
                        x->target);
    else if (!err)
        err = put_field(b,
                        ",\"mentioned\":{\"application\":null,\"device\":null,"
                        "\"conversation\":null,\"tag\":null,\"user\":{\"@odata.type\":"
                        "\"#microsoft.graph.teamworkUserIdentity\",\"id\":",
                        x->target);
    if (!err)
        err = put_field(b, ",\"displayName\":", x->name);
    if (!err)
        err = sb_buf_puts(b, x->channel ? ",\"conversationIdentityType\":\"channel\"}}}"
                                        : ",\"userIdentityType\":\"aadUser\"}}}");
    return err;
}

static sb_err put_mentions(struct sb_buf *b, const struct sb_message *m)
{
    sb_err err = sb_buf_append(b, "[", 1);

    for (size_t i = 0; !err && i < m->n_mentions && !m->deleted[0]; i++) {
        if (i)
            err = sb_buf_append(b, ",", 1);
        if (!err)
            err = put_mention(b, &m->mentions[i]);
    }
    return err ? err : sb_buf_append(b, "]", 1);
}

/* The stored attachments when they are a JSON array (as the server stores them), else []. */
static sb_err put_attachments(struct sb_buf *b, const struct sb_message *m)
{
    const char *a = m->attachments;
    size_t len;

    if (!a || m->deleted[0])
        return sb_buf_append(b, "[]", 2);
    while (*a == ' ' || *a == '\n' || *a == '\t' || *a == '\r')
        a++;
    len = strlen(a);
    while (len &&
           (a[len - 1] == ' ' || a[len - 1] == '\n' || a[len - 1] == '\t' || a[len - 1] == '\r'))
        len--;
    if (len < 2 || a[0] != '[' || a[len - 1] != ']')
        return sb_buf_append(b, "[]", 2);
    return sb_buf_append(b, a, len);
}

static sb_err put_from(struct sb_buf *b, const struct sb_message *m)
{
    sb_err err;

    if (m->from_kind[0] == 'u') {
        err = put_field(b,
                        ",\"from\":{\"application\":null,\"device\":null,\"user\":{\"@odata.type\":"
                        "\"#microsoft.graph.teamworkUserIdentity\",\"id\":",
                        m->from_id);
        if (!err)
            err = put_field(b, ",\"displayName\":", m->from_name);
        return err ? err : sb_buf_puts(b, ",\"userIdentityType\":\"aadUser\"}}");
    }
    err = put_field(b, ",\"from\":{\"application\":{\"id\":", m->from_id);
    if (!err)
        err = put_field(b, ",\"displayName\":", m->from_name);
    if (!err)
        err = sb_buf_puts(b, ",\"applicationIdentityType\":\"connector\"");
    if (!err && m->from_image[0])
        err = put_field(b, ",\"imageUrl\":", m->from_image);
    return err ? err : sb_buf_puts(b, "},\"device\":null,\"user\":null}");
}

/* teams_message_json's text. */
static sb_err put_message(struct sb_buf *b, const struct sb_message *m)
{
    bool gone = m->deleted[0] != 0;
    const char *modified = m->created;
    sb_err err;

    if (m->edited[0] && strcmp(m->edited, modified) > 0)
        modified = m->edited;
    if (gone && strcmp(m->deleted, modified) > 0)
        modified = m->deleted;
    err = put_field(b, "{\"id\":", m->id);
    if (!err)
        err = put_field(b, ",\"replyToId\":", m->reply_to[0] ? m->reply_to : NULL);
    if (!err)
        err = put_field(b, ",\"etag\":", m->id);
    if (!err)
        err = put_field(b, ",\"messageType\":\"message\",\"createdDateTime\":", m->created);
    if (!err)
        err = put_field(b, ",\"lastModifiedDateTime\":", modified);
    if (!err)
        err = put_field(b, ",\"lastEditedDateTime\":", m->edited[0] ? m->edited : NULL);
    if (!err)
        err = put_field(b, ",\"deletedDateTime\":", gone ? m->deleted : NULL);
    if (!err)
        err = put_field(b, ",\"subject\":null,\"summary\":", gone ? NULL : m->summary);
    if (!err)
        err = sb_buf_puts(b, ",\"importance\":\"normal\",\"locale\":\"en-us\"");
    if (!err)
        err = put_from(b, m);
    if (!err)
        err = put_field(b, ",\"body\":{\"contentType\":", m->body_type);
    if (!err)
        err = put_field(b, ",\"content\":", gone || !m->body ? "" : m->body);
    if (!err)
        err = sb_buf_puts(b, "},\"attachments\":");
    if (!err)
        err = put_attachments(b, m);
    if (!err)
        err = sb_buf_puts(b, ",\"mentions\":");
    if (!err)
        err = put_mentions(b, m);
    if (!err)
        err = sb_buf_puts(b, ",\"reactions\":");
    if (!err)
        err = put_reactions(b, m);
    if (!err)
        err = put_field(b, ",\"channelIdentity\":{\"teamId\":", m->team_id);
    if (!err)
        err = put_field(b, ",\"channelId\":", m->channel_id);
    return err ? err : sb_buf_append(b, "}}", 2);
}

sb_err teams_message_write(struct sb_ctx *ctx, const struct sb_message *m, int *allowed_memo,
                           struct sb_buf *b)
{
    json_t *j;
    char *text = NULL;
    sb_err err;

    if (m->from_kind[0] != 'a' || !card_actions_present(m->attachments) ||
        (allowed_memo && *allowed_memo == 1))
        return put_message(b, m);
    /* A card with actions, the policy not read yet or saying no: teams_message_render reads it
     * (into the memo) and strips them when they are off. */
    j = teams_message_render(ctx, m, allowed_memo);
    if (!j)
        return SB_ERR_NOMEM;
    err = sb_json_dump(j, &text);
    json_decref(j);
    if (!err)
        err = sb_buf_puts(b, text);
    free(text);
    return err;
}
