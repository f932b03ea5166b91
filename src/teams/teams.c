#include "teams/teams.h"

#include "auth/perm.h"
#include "core/ids.h"
#include "core/json.h"
#include "core/metrics.h"
#include "events/bus.h"
#include "store/messages.h"
#include "store/teams.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static sb_err check_name(const char *field, const char *name, size_t max, struct sb_diag *diag)
{
    size_t len = strlen(name);
    bool blank = true;

    if (len == 0 || len > max)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must be 1 to %zu bytes", field,
                       max);
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                           "%s must not contain control characters", field);
        if (*p != ' ')
            blank = false;
    }
    if (blank)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "%s must not be blank", field);
    return SB_OK;
}

sb_err teams_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *display_name,
                    const char *description, struct sb_team *out, struct sb_diag *diag)
{
    return teams_create_visible(ctx, who, display_name, description, false, out, diag);
}

sb_err teams_create_visible(struct sb_ctx *ctx, const struct sb_principal *who,
                            const char *display_name, const char *description, bool is_public,
                            struct sb_team *out, struct sb_diag *diag)
{
    struct sb_channel general;
    struct sb_member owner;
    sb_err err;

    memset(out, 0, sizeof(*out));
    memset(&general, 0, sizeof(general));
    memset(&owner, 0, sizeof(owner));
    err = sb_can(ctx, who, SB_ACT_TEAM_CREATE, NULL, diag);
    if (!err)
        err = check_name("displayName", display_name, SB_NAME_MAX, diag);
    if (err)
        return err;
    sb_id_new(ctx, out->id);
    snprintf(out->display_name, sizeof(out->display_name), "%s", display_name);
    snprintf(out->description, sizeof(out->description), "%s", description ? description : "");
    out->allow_connectors = true;
    out->connectors_enabled = -1; /* the group-level switch is not set: as a read gives it */
    out->is_public = is_public;
    sb_time_now(ctx, out->created);

    sb_id_new(ctx, general.id);
    memcpy(general.team_id, out->id, sizeof(general.team_id));
    snprintf(general.display_name, sizeof(general.display_name), "General");
    snprintf(general.membership_type, sizeof(general.membership_type), "standard");
    general.is_general = true;
    memcpy(general.created, out->created, sizeof(general.created));

    sb_id_new(ctx, owner.id);
    memcpy(owner.team_id, out->id, sizeof(owner.team_id));
    memcpy(owner.user_id, who->user_id, sizeof(owner.user_id));
    owner.role = SB_ROLE_OWNER;
    memcpy(owner.created, out->created, sizeof(owner.created));
    err = store_team_create(ctx->store, out, &general, &owner);
    if (!err && ctx->bus)
        events_membership(ctx->bus, owner.user_id, out->id, true);
    return err;
}

sb_err teams_set_member_settings(struct sb_ctx *ctx, const char *team_id, bool allow_connectors,
                                 const struct sb_audit *audit, struct sb_diag *diag)
{
    sb_err err = store_team_set_allow_connectors(ctx->store, team_id, allow_connectors, audit);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "team '%s' not found", team_id);
    return err;
}

/* Teams refuses these characters in channel names. */
static const char channel_forbidden[] = "~#%&*{}+/\\:<>?|'\"";

sb_err teams_channel_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                            const char *display_name, const char *description,
                            struct sb_channel *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_CHANNEL_CREATE, &res, diag);
    if (err)
        return err;
    err = check_name("displayName", display_name, TEAMS_CHANNEL_NAME_MAX, diag);
    if (err)
        return err;
    if (strpbrk(display_name, channel_forbidden))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "displayName must not contain any of %s", channel_forbidden);
    if (display_name[0] == '_' || display_name[0] == '.')
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "displayName must not start with '_' or '.'");
    if (description && strlen(description) > SB_DESC_MAX)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "description is too long (at most %d bytes)", SB_DESC_MAX);
    sb_id_new(ctx, out->id);
    snprintf(out->team_id, sizeof(out->team_id), "%s", team_id);
    snprintf(out->display_name, sizeof(out->display_name), "%s", display_name);
    snprintf(out->description, sizeof(out->description), "%s", description ? description : "");
    snprintf(out->membership_type, sizeof(out->membership_type), "standard");
    sb_time_now(ctx, out->created);
    err = store_channel_insert(ctx->store, out);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "NameAlreadyExists",
                       "a channel named '%s' already exists in this team", display_name);
    return err;
}

sb_err teams_member_add(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *user_id, int role, struct sb_member *out, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, NULL};
    struct sb_user u;
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_MEMBER_ADD, &res, diag);
    /* Joining: anyone may add themselves as a member (not owner) of a public team. A private
     * team keeps the owners' answer (404 to outsiders). */
    if (err && (err == SB_ERR_NOT_FOUND || err == SB_ERR_FORBIDDEN) && who &&
        strcmp(user_id, who->user_id) == 0) {
        struct sb_diag join = {0};
        if (sb_can(ctx, who, SB_ACT_TEAM_JOIN, &res, &join) == SB_OK)
            err = role == SB_ROLE_MEMBER ? SB_OK
                                         : sb_fail(diag, SB_ERR_FORBIDDEN, "Forbidden",
                                                   "you can join a public team as a member only");
    }
    if (err)
        return err;
    if (role < SB_ROLE_GUEST || role > SB_ROLE_OWNER)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "roles is not valid");
    err = store_user_get(ctx->store, user_id, &u);
    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "user '%s' not found", user_id);
    if (err)
        return err;
    sb_id_new(ctx, out->id);
    snprintf(out->team_id, sizeof(out->team_id), "%s", team_id);
    memcpy(out->user_id, u.id, sizeof(out->user_id));
    out->role = role;
    memcpy(out->display_name, u.display_name, sizeof(out->display_name));
    sb_time_now(ctx, out->created);
    err = store_member_insert(ctx->store, out);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "Conflict", "user '%s' is already a member of this team",
                       user_id);
    if (!err && ctx->bus)
        events_membership(ctx->bus, out->user_id, team_id, true);
    return err;
}

sb_err teams_member_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                           const char *membership_id, struct sb_diag *diag)
{
    struct sb_resource res = {team_id, NULL, membership_id};
    struct sb_member m;
    sb_err err = sb_can(ctx, who, SB_ACT_MEMBER_REMOVE, &res, diag);

    if (err)
        return err;
    err = store_member_get(ctx->store, team_id, membership_id, &m);
    if (!err)
        err = store_member_delete(ctx->store, team_id, membership_id);
    if (!err && ctx->bus)
        events_membership(ctx->bus, m.user_id, team_id, false);

    if (err == SB_ERR_NOT_FOUND)
        return sb_fail(diag, err, "NotFound", "membership '%s' not found", membership_id);
    if (err == SB_ERR_CONFLICT)
        return sb_fail(diag, err, "Conflict",
                       "a team must keep at least one owner; add another owner first");
    return err;
}

sb_err teams_body_check(const char *content_type, const char *content, struct sb_diag *diag)
{
    if (strcmp(content_type, "text") != 0 && strcmp(content_type, "html") != 0)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "body.contentType must be \"text\" or \"html\"");
    if (strlen(content) > TEAMS_MESSAGE_MAX)
        return sb_fail(diag, SB_ERR_TOO_LARGE, "RequestEntityTooLarge",
                       "body.content is too large (at most %d bytes)", TEAMS_MESSAGE_MAX);
    return SB_OK;
}

sb_err teams_message_new(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, const char *content_type, const char *content,
                         struct sb_message *out)
{
    memset(out, 0, sizeof(*out));
    sb_id_new(ctx, out->id);
    snprintf(out->team_id, sizeof(out->team_id), "%s", team_id);
    snprintf(out->channel_id, sizeof(out->channel_id), "%s", channel_id);
    sb_time_now(ctx, out->created);
    snprintf(out->from_kind, sizeof(out->from_kind), "user");
    memcpy(out->from_id, who->user_id, sizeof(out->from_id));
    memcpy(out->from_name, who->display_name, sizeof(out->from_name));
    snprintf(out->body_type, sizeof(out->body_type), "%s", content_type);
    out->body = strdup(content);
    out->attachments = strdup("[]");
    if (!out->body || !out->attachments) {
        store_message_free(out);
        return SB_ERR_NOMEM;
    }
    return SB_OK;
}

sb_err teams_message_post(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *content_type, const char *content,
                          struct sb_mention *mentions, size_t n_mentions, struct sb_message *out,
                          struct sb_diag *diag)
{
    struct sb_resource res = {team_id, channel_id, NULL};
    sb_err err;

    memset(out, 0, sizeof(*out));
    err = sb_can(ctx, who, SB_ACT_MESSAGE_POST, &res, diag);
    if (!err)
        err = teams_body_check(content_type, content, diag);
    if (!err)
        err = teams_mentions_check(ctx, team_id, channel_id, content_type, content, mentions,
                                   n_mentions, diag);
    if (!err)
        err = teams_message_new(ctx, who, team_id, channel_id, content_type, content, out);
    if (err)
        return err;
    err = teams_mentions_attach(out, mentions, n_mentions);
    if (!err)
        err = store_message_append(ctx->store, out);
    if (err) {
        store_message_free(out);
        return err;
    }
    teams_message_stored(ctx);
    return SB_OK;
}

void teams_message_event(struct sb_ctx *ctx, const struct sb_message *m)
{
    json_t *j;
    char *text = NULL;

    if (!ctx->bus || !events_bus_wanted(ctx->bus, m->team_id))
        return;
    j = teams_message_render(ctx, m, NULL);
    if (j && sb_json_dump(j, &text) == SB_OK)
        events_publish(ctx->bus, m->seq, "message", m->team_id, text);
    free(text);
    json_decref(j);
}

void teams_message_stored(struct sb_ctx *ctx)
{
    if (ctx->metrics)
        atomic_fetch_add_explicit(&ctx->metrics->messages_stored, 1, memory_order_relaxed);
}
