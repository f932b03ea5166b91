/*
 * perm.h: the one permission check. Every handler asks sb_can before it acts.
 *
 * Answers: SB_OK; SB_ERR_UNAUTHORIZED (no caller); SB_ERR_NOT_FOUND when the resource does not
 * exist or the caller may not see it (non-members learn nothing about a team, its channels,
 * members or messages); SB_ERR_FORBIDDEN when the caller can see it but may not do this.
 *
 * Rules: global administrators may do everything. Any signed-in user may read the directory,
 * their own view (SB_ACT_SIGNED_IN) and the organisation app catalog, and create teams; only
 * administrators create and manage users. Guests may not read the directory (SB_ACT_USER_READ:
 * organisation guests, and people whose every team membership is a guest's). Within a team: guests,
 * members and owners read the team, its channels, members and messages and post messages, replies
 * and reactions; authors edit their messages, authors and owners soft-delete them; members and
 * owners create channels; only owners change team settings and manage members (anyone may remove
 * their own membership). Connectors are managed by owners, and by members when the team's
 * memberSettings.allowCreateUpdateRemoveConnectors is true. New configurations
 * (SB_ACT_CONNECTOR_CREATE) and webhook posts (SB_ACT_WEBHOOK_POST) also need connectors to be
 * on for the team by organisation and group policy (org/org.h); when they are off, existing
 * configurations are kept and may still be managed or removed.
 * Registering connectors (SB_ACT_CONNECTOR_REGISTER, installation-wide) is for administrators,
 * and for every signed-in user while the organisation setting developersMayRegisterConnectors
 * is on; which registration a person may then change is the handler's ownership check.
 * SB_ACT_WEBHOOK_POST is asked without a principal, by the ingestion path, after the webhook
 * URL was verified: it checks that the channel still exists and that policy allows posting.
 *
 * Applications (who->is_app, Graph connector tokens) may do only SB_ACT_TENANT_READ,
 * SB_ACT_EXTERNAL_CONNECTION and SB_ACT_EXTERNAL_ITEM, the last two when their token carries the
 * matching role; which connections are theirs is the graphconn service's check (OwnedBy). People
 * may not use those two actions (administrators included: connections belong to apps); every
 * signed-in person may search (SB_ACT_SEARCH), and sees only what ACLs grant them.
 */
#ifndef SB_PERM_H
#define SB_PERM_H

#include "auth/auth.h"

enum sb_action {
    SB_ACT_SIGNED_IN, /* the caller's own view: profile, session, joined teams, event stream,
                         the organisation app catalog */
    SB_ACT_USER_READ,
    SB_ACT_USER_CREATE,
    SB_ACT_USER_MANAGE, /* change, disable, delete a user or set their password: administrators */
    SB_ACT_TEAM_CREATE,
    SB_ACT_TEAM_READ,
    SB_ACT_TEAM_UPDATE,
    SB_ACT_CHANNEL_CREATE,
    SB_ACT_CHANNEL_READ,
    SB_ACT_MEMBER_ADD,
    SB_ACT_MEMBER_REMOVE,
    SB_ACT_MESSAGE_POST,
    SB_ACT_CONNECTOR_CREATE, /* a new configuration: also needs connectors on by policy */
    SB_ACT_CONNECTOR_MANAGE,
    SB_ACT_WEBHOOK_POST,       /* no principal: the caller holds a webhook URL of the channel */
    SB_ACT_CONNECTOR_REGISTER, /* the Connector Developer Dashboard: administrators, and
                                  everyone while developersMayRegisterConnectors is on */
    SB_ACT_MESSAGE_ACTION,     /* run a card's action (actionable messages): anyone who reads the
                                  channel, while policy has connectors and actionable messages on */
    SB_ACT_ADMIN,
    SB_ACT_EXTERNAL_CONNECTION, /* an app with ExternalConnection.ReadWrite.OwnedBy */
    SB_ACT_EXTERNAL_ITEM,       /* an app with ExternalItem.ReadWrite.OwnedBy */
    SB_ACT_SEARCH,              /* a person searching external items */
    SB_ACT_TENANT_READ,         /* the installation's tenant information: people and apps */
    SB_ACT_MESSAGE_EDIT,        /* change a message's body: its author only (administrators
                                   included: nobody puts words in another's mouth); a
                                   connector's card cannot be edited by people */
    SB_ACT_MESSAGE_DELETE,      /* soft delete and its undo: the author and team owners */
    SB_ACT_TEAM_JOIN,           /* join a team as a member yourself: anyone, public teams only
                                   (a private team stays invisible: 404) */
    SB_ACT_MEMBER_UPDATE,       /* change a member's role: team owners */
    SB_ACT_COUNT                /* not an action: how many there are (tests size tables by it) */
};

/* What the action applies to. team_id is required for team-scoped actions; channel_id for
 * channel-scoped ones (it must belong to team_id); item_id is the membership for
 * SB_ACT_MEMBER_REMOVE and the message (of channel_id) for SB_ACT_MESSAGE_EDIT and
 * SB_ACT_MESSAGE_DELETE. */
struct sb_resource {
    const char *team_id;
    const char *channel_id;
    const char *item_id;
};

sb_err sb_can(struct sb_ctx *ctx, const struct sb_principal *who, enum sb_action action,
              const struct sb_resource *res, struct sb_diag *diag);

#endif
