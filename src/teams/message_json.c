/*
 * message_json.c: a stored message as a Graph chatMessage (used by the API and the event stream).
 */
#include "teams/teams.h"

json_t *teams_message_json(const struct sb_message *m)
{
    json_t *from, *attachments = NULL;
    bool is_user = m->from_kind[0] == 'u';

    if (m->attachments)
        attachments = json_loads(m->attachments, 0, NULL);
    if (!json_is_array(attachments)) {
        json_decref(attachments);
        attachments = json_array();
    }
    if (is_user)
        from = json_pack("{s:n,s:n,s:{s:s,s:s,s:s,s:s}}", "application", "device", "user",
                         "@odata.type", "#microsoft.graph.teamworkUserIdentity", "id", m->from_id,
                         "displayName", m->from_name, "userIdentityType", "aadUser");
    else
        from = json_pack("{s:{s:s,s:s,s:s,s:s*},s:n,s:n}", "application", "id", m->from_id,
                         "displayName", m->from_name, "applicationIdentityType", "connector",
                         "imageUrl", m->from_image[0] ? m->from_image : NULL, "device", "user");
    /* lastEditedDateTime and deletedDateTime: null, as Graph gives them for a message that was
     * never edited or deleted (messages cannot be edited or deleted here yet). */
    return json_pack("{s:s,s:n,s:s,s:s,s:s,s:s,s:n,s:n,s:n,s:s?,s:s,s:s,s:o,s:{s:s,s:s},s:o,s:[],"
                     "s:[],s:{s:s,s:s}}",
                     "id", m->id, "replyToId", "etag", m->id, "messageType", "message",
                     "createdDateTime", m->created, "lastModifiedDateTime", m->created,
                     "lastEditedDateTime", "deletedDateTime", "subject", "summary", m->summary,
                     "importance", "normal", "locale", "en-us", "from", from, "body", "contentType",
                     m->body_type, "content", m->body, "attachments", attachments, "mentions",
                     "reactions", "channelIdentity", "teamId", m->team_id, "channelId",
                     m->channel_id);
}
