/*
 * message_json.c: a stored message as a Graph chatMessage (used by the API and the event stream).
 * A soft-deleted message keeps its place and its metadata but shows nothing of what it said: an
 * empty body, no summary, attachments, mentions or reactions (Graph gives deletedDateTime and an
 * empty body); its author or an owner may bring it back (undoSoftDelete).
 */
#include "teams/teams.h"

#include <string.h>

static json_t *reactions_json(const struct sb_message *m)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < m->n_reactions && !m->deleted[0]; i++) {
        const struct sb_reaction *r = &m->reactions[i];

        if (json_array_append_new(a, json_pack("{s:s,s:s,s:{s:{s:s,s:s}}}", "reactionType", r->type,
                                               "createdDateTime", r->created, "user", "user", "id",
                                               r->user_id, "displayName", r->user_name)) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* Graph's chatMessageMention: mentioned names a user (teamworkUserIdentity) or the channel
 * (teamworkConversationIdentity), the other identities null. */
static json_t *mention_json(const struct sb_mention *x)
{
    json_t *who;

    if (x->channel)
        who = json_pack("{s:n,s:n,s:n,s:n,s:{s:s,s:s,s:s}}", "application", "device", "user", "tag",
                        "conversation", "id", x->target, "displayName", x->name,
                        "conversationIdentityType", "channel");
    else
        who = json_pack("{s:n,s:n,s:n,s:n,s:{s:s,s:s,s:s,s:s}}", "application", "device",
                        "conversation", "tag", "user", "@odata.type",
                        "#microsoft.graph.teamworkUserIdentity", "id", x->target, "displayName",
                        x->name, "userIdentityType", "aadUser");
    return json_pack("{s:I,s:s,s:o}", "id", (json_int_t)x->id, "mentionText", x->text, "mentioned",
                     who);
}

static json_t *mentions_json(const struct sb_message *m)
{
    json_t *a = json_array();

    for (size_t i = 0; a && i < m->n_mentions && !m->deleted[0]; i++)
        if (json_array_append_new(a, mention_json(&m->mentions[i])) != 0) {
            json_decref(a);
            return NULL;
        }
    return a;
}

/* The latest of the message's times (RFC 3339 UTC text sorts as time). */
static const char *last_modified(const struct sb_message *m)
{
    const char *t = m->created;

    if (m->edited[0] && strcmp(m->edited, t) > 0)
        t = m->edited;
    if (m->deleted[0] && strcmp(m->deleted, t) > 0)
        t = m->deleted;
    return t;
}

json_t *teams_message_json(const struct sb_message *m)
{
    json_t *from, *attachments = NULL, *reactions, *mentions;
    bool is_user = m->from_kind[0] == 'u', gone = m->deleted[0] != 0;

    if (m->attachments && !gone)
        attachments = json_loads(m->attachments, 0, NULL);
    if (!json_is_array(attachments)) {
        json_decref(attachments);
        attachments = json_array();
    }
    reactions = reactions_json(m);
    mentions = mentions_json(m);
    if (is_user)
        from = json_pack("{s:n,s:n,s:{s:s,s:s,s:s,s:s}}", "application", "device", "user",
                         "@odata.type", "#microsoft.graph.teamworkUserIdentity", "id", m->from_id,
                         "displayName", m->from_name, "userIdentityType", "aadUser");
    else
        from = json_pack("{s:{s:s,s:s,s:s,s:s*},s:n,s:n}", "application", "id", m->from_id,
                         "displayName", m->from_name, "applicationIdentityType", "connector",
                         "imageUrl", m->from_image[0] ? m->from_image : NULL, "device", "user");
    /* json_pack takes the references of from, attachments, mentions and reactions ("o"), also when
     * it fails, and a NULL one makes it fail. */
    return json_pack(
        "{s:s,s:s?,s:s,s:s,s:s,s:s,s:s?,s:s?,s:n,s:s?,s:s,s:s,s:o,s:{s:s,s:s},s:o,"
        "s:o,s:o,s:{s:s,s:s}}",
        "id", m->id, "replyToId", m->reply_to[0] ? m->reply_to : NULL, "etag", m->id, "messageType",
        "message", "createdDateTime", m->created, "lastModifiedDateTime", last_modified(m),
        "lastEditedDateTime", m->edited[0] ? m->edited : NULL, "deletedDateTime",
        gone ? m->deleted : NULL, "subject", "summary", gone ? NULL : m->summary, "importance",
        "normal", "locale", "en-us", "from", from, "body", "contentType", m->body_type, "content",
        gone ? "" : m->body, "attachments", attachments, "mentions", mentions, "reactions",
        reactions, "channelIdentity", "teamId", m->team_id, "channelId", m->channel_id);
}
