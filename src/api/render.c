/*
 * render.c: store records as Microsoft Graph v1.0 resources.
 */
#include "api/api.h"

json_t *api_render_user(const struct sb_user *u)
{
    return json_pack("{s:s,s:s,s:s,s:s}", "@odata.type", "#microsoft.graph.user", "id", u->id,
                     "displayName", u->display_name, "userPrincipalName", u->upn);
}

json_t *api_render_team(const struct sb_team *t)
{
    json_t *o =
        json_pack("{s:s,s:s,s:s,s:s,s:b,s:{s:b,s:b,s:b,s:b,s:b}}", "id", t->id, "displayName",
                  t->display_name, "description", t->description, "createdDateTime", t->created,
                  "isArchived", 0, "memberSettings", "allowCreateUpdateChannels", 1,
                  "allowDeleteChannels", 1, "allowAddRemoveApps", 1, "allowCreateUpdateRemoveTabs",
                  1, "allowCreateUpdateRemoveConnectors", t->allow_connectors);

    if (o)
        json_object_set_new(o, "visibility", json_string(t->is_public ? "public" : "private"));
    /* Not in Graph: the group-level connector switch (null when not set), for the admin page. */
    if (o)
        json_object_set_new(o, "connectorsEnabled",
                            t->connectors_enabled < 0 ? json_null()
                                                      : json_boolean(t->connectors_enabled));
    return o;
}

json_t *api_render_channel(const struct sb_channel *ch)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:b}", "id", ch->id, "displayName", ch->display_name,
                     "description", ch->description, "membershipType", ch->membership_type,
                     "createdDateTime", ch->created, "isFavoriteByDefault", ch->is_general);
}

static const char *role_name(int role)
{
    return role == SB_ROLE_OWNER ? "owner" : role == SB_ROLE_GUEST ? "guest" : NULL;
}

json_t *api_render_member(const struct sb_member *m)
{
    const char *role = role_name(m->role);
    json_t *roles = role ? json_pack("[s]", role) : json_array();

    return json_pack("{s:s,s:s,s:o,s:s,s:s,s:s}", "@odata.type",
                     "#microsoft.graph.aadUserConversationMember", "id", m->id, "roles", roles,
                     "displayName", m->display_name, "userId", m->user_id,
                     "visibleHistoryStartDateTime", "0001-01-01T00:00:00Z");
}
