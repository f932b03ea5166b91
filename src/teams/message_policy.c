/*
 * message_policy.c: messages as people see them under the actionable-messages policy. With
 * connectorsActionableMessagesEnabled off, or connectors off for the team (organisation or
 * group switch), the cards keep everything but the actions that call the sender's service.
 */
#include "teams/teams.h"

#include "cards/card_actions.h"
#include "core/json.h"
#include "events/bus.h"
#include "org/org.h"
#include "store/teams.h"

#include <stdlib.h>

sb_err teams_actions_allowed(struct sb_ctx *ctx, const char *team_id, bool *allowed,
                             const char **why)
{
    struct org_settings org;
    struct sb_team team;
    sb_err err = org_settings_get(ctx, &org);

    *allowed = false;
    *why = NULL;
    if (err)
        return err;
    if (!org.actionable_enabled) {
        *why = "Actionable messages are turned off for this organization by an administrator.";
        return SB_OK;
    }
    err = store_team_get(ctx->store, team_id, &team);
    if (err)
        return err;
    *allowed = org_team_connectors_enabled(&org, &team, why);
    return SB_OK;
}

json_t *teams_message_render(struct sb_ctx *ctx, const struct sb_message *m, int *allowed_memo)
{
    json_t *j = teams_message_json(m);
    int local = -1, *memo = allowed_memo ? allowed_memo : &local;
    bool changed;

    if (!j || m->from_kind[0] != 'a' || !card_actions_present(m->attachments))
        return j;
    if (*memo < 0) {
        bool allowed = false;
        const char *why;
        /* When the policy cannot be read, actions are hidden: fail closed. */
        if (teams_actions_allowed(ctx, m->team_id, &allowed, &why) != SB_OK)
            allowed = false;
        *memo = allowed ? 1 : 0;
    }
    if (!*memo && card_actions_strip(j, &changed) != SB_OK) {
        json_decref(j);
        return NULL;
    }
    return j;
}

void teams_message_update_event(struct sb_ctx *ctx, const struct sb_message *m)
{
    json_t *j;
    char *text = NULL;

    if (!ctx->bus || !events_bus_wanted(ctx->bus, m->team_id))
        return;
    j = teams_message_render(ctx, m, NULL);
    if (j && sb_json_dump(j, &text) == SB_OK)
        events_publish(ctx->bus, 0, "messageUpdated", m->team_id, text);
    free(text);
    json_decref(j);
}
