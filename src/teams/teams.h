/*
 * teams.h: teams, channels, memberships and people's messages.
 *
 * Every function that takes a principal asks sb_can first (SB_ERR_NOT_FOUND for what who may
 * not see, before any check of the input), then validates and changes the store. Every failure
 * fills diag with a message naming the field or the refusal.
 */
#ifndef SB_TEAMS_H
#define SB_TEAMS_H

#include "auth/auth.h"
#include "core/buf.h"
#include "model/audit.h"
#include "model/conversation.h"
#include "model/messages.h"
#include "model/teams.h"
#include "model/users.h"

#include <jansson.h>

#define TEAMS_CHANNEL_NAME_MAX 50     /* Teams' limit on channel names */
#define TEAMS_MESSAGE_MAX (28 * 1024) /* Teams' limit on a message */

/* Creates a team with its General channel; the creator becomes its owner (SB_ACT_TEAM_CREATE). */
sb_err teams_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *display_name,
                    const char *description, struct sb_team *out, struct sb_diag *diag);

/* The same with Graph's visibility: is_public lists the team in the directory, where anyone may
 * join it as a member (teams_member_add with themselves); private teams are by invitation. */
sb_err teams_create_visible(struct sb_ctx *ctx, const struct sb_principal *who,
                            const char *display_name, const char *description, bool is_public,
                            struct sb_team *out, struct sb_diag *diag);

/* ---- the teams directory (directory.c) ---- */
/* Public teams and the caller's own, by name (every team for administrators): GET /v1.0/teams. */
sb_err teams_directory(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_team **out,
                       size_t *n, struct sb_diag *diag);
/* PATCH visibility by who (TEAM_UPDATE: owners), audited in the same transaction. */
sb_err teams_set_visibility(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                            bool is_public, struct sb_diag *diag);
/* A member's role by who (MEMBER_UPDATE: owners); *out is the membership as it now is.
 * 409 when it would leave the team without an owner. */
sb_err teams_member_set_role(struct sb_ctx *ctx, const struct sb_principal *who,
                             const char *team_id, const char *membership_id, int role,
                             struct sb_member *out, struct sb_diag *diag);

/* Sets memberSettings.allowCreateUpdateRemoveConnectors; audit (may be NULL) is written in the
 * same transaction. No permission check: its callers (teams_update_member_settings, the
 * administrators' team switch) asked. */
sb_err teams_set_member_settings(struct sb_ctx *ctx, const char *team_id, bool allow_connectors,
                                 const struct sb_audit *audit, struct sb_diag *diag);

/* SB_ACT_CHANNEL_CREATE. */
sb_err teams_channel_create(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                            const char *display_name, const char *description,
                            struct sb_channel *out, struct sb_diag *diag);

/* Adds user_id with role (enum sb_role, not NONE) (SB_ACT_MEMBER_ADD). SB_ERR_NOT_FOUND for an
 * unknown user, SB_ERR_CONFLICT when already a member. */
sb_err teams_member_add(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *user_id, int role, struct sb_member *out, struct sb_diag *diag);

/* SB_ACT_MEMBER_REMOVE (owners, and anyone for their own membership). */
sb_err teams_member_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                           const char *membership_id, struct sb_diag *diag);

/* Posts a person's message (SB_ACT_MESSAGE_POST). content_type is "text" or "html"; mentions
 * (n_mentions of them, may be NULL when 0) are checked by teams_mentions_check, which fills
 * their names, and stored with the message. out owns heap fields (store_message_free). */
sb_err teams_message_post(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *content_type, const char *content,
                          struct sb_mention *mentions, size_t n_mentions, struct sb_message *out,
                          struct sb_diag *diag);

/* ---- reads for handlers (reads.c) ----
 * Those with a principal ask sb_can (TEAM_READ, CHANNEL_READ, SIGNED_IN) and fill diag with the
 * refusal or the resource's NotFound sentence. Lists are heap arrays (free()); messages own heap
 * fields (teams_message_free / teams_message_free_array). */
sb_err teams_team_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                      struct sb_team *out, struct sb_diag *diag);
/* The caller's teams. */
sb_err teams_joined(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_team **out,
                    size_t *n, struct sb_diag *diag);
sb_err teams_channel_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          struct sb_channel **out, size_t *n, struct sb_diag *diag);
sb_err teams_channel_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, struct sb_channel *out, struct sb_diag *diag);
sb_err teams_member_list(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         struct sb_member **out, size_t *n, struct sb_diag *diag);
sb_err teams_member_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *membership_id, struct sb_member *out, struct sb_diag *diag);
/* One message of that channel (one of another channel is NOT_FOUND). */
sb_err teams_message_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, const char *id, struct sb_message *out,
                         struct sb_diag *diag);
/* Pages, newest first, of messages with seq below before (0: from the newest) (CHANNEL_READ). */
sb_err teams_message_page(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n, struct sb_diag *diag);
/* A team's connector posts from configurations of app_type ("groups": the group feed)
 * (TEAM_READ). */
sb_err teams_message_feed(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *app_type, int64_t before, size_t limit,
                          struct sb_message **out, size_t *n, struct sb_diag *diag);
/* Messages after seq `after` that who may see (every team's for administrators), oldest first:
 * the event stream's replay. */
sb_err teams_message_since(struct sb_ctx *ctx, const struct sb_principal *who, int64_t after,
                           size_t limit, struct sb_message **out, size_t *n);
void teams_message_free(struct sb_message *m);
void teams_message_free_array(struct sb_message *ms, size_t n);

/* PATCH memberSettings.allowCreateUpdateRemoveConnectors by who (TEAM_UPDATE): the setting and
 * its audit entry (when it changes) in one transaction. */
sb_err teams_update_member_settings(struct sb_ctx *ctx, const struct sb_principal *who,
                                    const char *team_id, bool allow, struct sb_diag *diag);

/* The Graph chatMessage resource for m (from.user for people, from.application for connectors). */
json_t *teams_message_json(const struct sb_message *m);

/* Whether card actions (actionable messages) are on in team_id: the organisation's
 * connectorsActionableMessagesEnabled and the connector switches; *why says why not. */
sb_err teams_actions_allowed(struct sb_ctx *ctx, const char *team_id, bool *allowed,
                             const char **why);
/* teams_message_json under that policy: the service-calling card actions are removed when
 * they are off. allowed_memo (may be NULL) caches the answer across messages of one team:
 * start it at -1. */
json_t *teams_message_render(struct sb_ctx *ctx, const struct sb_message *m, int *allowed_memo);
/* Appends teams_message_render's JSON text for m (as sb_json_dump writes it) to b, written by
 * hand: the stored attachments are copied as they are (message_write.c). */
sb_err teams_message_write(struct sb_ctx *ctx, const struct sb_message *m, int *allowed_memo,
                           struct sb_buf *b);
/* Appends s as a JSON string literal, escaped as jansson escapes it. */
sb_err teams_json_put_string(struct sb_buf *b, const char *s);
/* A changed message (a card its service updated; an edit, a reaction, a soft delete or its
 * undo) for this process's subscribers: event "messageUpdated", live only (no id). remote.c
 * calls it after the change committed. */
void teams_message_update_event(struct sb_ctx *ctx, const struct sb_message *m);

/* Counts a message this process stored. Its live event does not come from here: the thread
 * that stored it is not the one to publish it (remote.c publishes in commit order). */
void teams_message_stored(struct sb_ctx *ctx);
/* Renders m once for this process's subscribers, when any of them may see its team; only
 * remote.c calls it, in seq order. */
void teams_message_event(struct sb_ctx *ctx, const struct sb_message *m);

/* Subscribes who to the events of the teams they may read (every team for a global
 * administrator; the bus follows later membership changes); after: the seq already replayed
 * (stream.c). */
struct events_sub;
struct events_transport;
sb_err teams_subscribe(struct sb_ctx *ctx, const struct sb_principal *who, int64_t after,
                       const struct events_transport *t, struct events_sub **out,
                       struct sb_diag *diag);

/* ---- threads: replies, edits, soft delete (thread.c) and reactions (reactions.c) ----
 * The message acted on is `id` of the channel; with parent_id (the .../replies/{r} paths) it
 * must also be a reply to parent_id, else SB_ERR_NOT_FOUND. Changes reach the subscribers of
 * every process as "messageUpdated" events (the store's "u" notification, remote.c); a reply
 * is a new message and arrives as "message" with its replyToId. */

/* Checks a person's message body: contentType "text" or "html", at most TEAMS_MESSAGE_MAX
 * bytes. */
sb_err teams_body_check(const char *content_type, const char *content, struct sb_diag *diag);
/* Fills out as a new message of who's in the channel (id, time, sender, body, no attachments);
 * out owns heap fields (teams_message_free) and is not stored yet. */
sb_err teams_message_new(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                         const char *channel_id, const char *content_type, const char *content,
                         struct sb_message *out);
/* Posts a reply to parent_id (SB_ACT_MESSAGE_POST): SB_ERR_NOT_FOUND for a parent that is not
 * in the channel, SB_ERR_INVALID for a parent that is itself a reply (one level, as Teams) or
 * is deleted. */
sb_err teams_reply_post(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *channel_id, const char *parent_id, const char *content_type,
                        const char *content, struct sb_mention *mentions, size_t n_mentions,
                        struct sb_message *out, struct sb_diag *diag);

/* ---- mentions (mentions.c) ---- */

/* SB_ERR_INVALID (nothing stored) unless the mentions ms[0..n) fit the body (one <at id="N">
 * per mention, mentionText its text, ids unique, html, at most SB_MENTIONS_MAX) and name people
 * who can read the channel or the channel itself; fills their display names from the store. */
sb_err teams_mentions_check(struct sb_ctx *ctx, const char *team_id, const char *channel_id,
                            const char *content_type, const char *content, struct sb_mention *ms,
                            size_t n, struct sb_diag *diag);
/* *reads: whether user u may read the channel (sb_can as u, SB_ACT_CHANNEL_READ): whom a
 * mention may reach. */
sb_err teams_user_reads_channel(struct sb_ctx *ctx, const struct sb_user *u, const char *team_id,
                                const char *channel_id, bool *reads);
/* Gives m a copy of ms[0..n) in id order (freed with the message). */
sb_err teams_mentions_attach(struct sb_message *m, const struct sb_mention *ms, size_t n);
/* A page of parent_id's replies, newest first, seq below before (0: from the newest)
 * (SB_ACT_CHANNEL_READ). */
sb_err teams_reply_page(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                        const char *channel_id, const char *parent_id, int64_t before, size_t limit,
                        struct sb_message **out, size_t *n, struct sb_diag *diag);
/* A message's replies as GET .../messages?$expand=replies gives them: the newest `limit` of
 * them (newest first) and how many there are. */
struct teams_replies {
    struct sb_message *ms;
    size_t n;
    int64_t total;
};
/* teams_message_page, and for each of its *n messages its replies in (*replies)[i] (freed with
 * teams_replies_free). One permission check covers the page and its threads. */
sb_err teams_message_page_replies(struct sb_ctx *ctx, const struct sb_principal *who,
                                  const char *team_id, const char *channel_id, int64_t before,
                                  size_t limit, size_t replies_limit, struct sb_message **out,
                                  size_t *n, struct teams_replies **replies, struct sb_diag *diag);
void teams_replies_free(struct teams_replies *r, size_t n);
/* One reply to parent_id (SB_ACT_CHANNEL_READ). */
sb_err teams_reply_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                       const char *channel_id, const char *parent_id, const char *id,
                       struct sb_message *out, struct sb_diag *diag);
/* Replaces the body and the mentions of who's own message (SB_ACT_MESSAGE_EDIT; the mentions
 * are checked against the new body as teams_message_post checks them, none given: none kept)
 * and sets lastEditedDateTime; SB_ERR_INVALID for a deleted message. */
sb_err teams_message_edit(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *parent_id, const char *id,
                          const char *content_type, const char *content,
                          struct sb_mention *mentions, size_t n_mentions, struct sb_diag *diag);
/* Soft-deletes a message, or undoes that (SB_ACT_MESSAGE_DELETE: author, team owners); doing
 * what is already done changes nothing and succeeds. */
sb_err teams_message_soft_delete(struct sb_ctx *ctx, const struct sb_principal *who,
                                 const char *team_id, const char *channel_id, const char *parent_id,
                                 const char *id, bool undo, struct sb_diag *diag);
/* Whether type is a reaction people may give: one of Teams' names (like, heart, laugh,
 * surprised, sad, angry) or one emoji (a single emoji sequence: modifiers, ZWJ sequences, flags
 * and keycaps), at most SB_REACTION_MAX bytes. */
bool teams_reaction_type_valid(const char *type);
/* Sets who's reaction to the message to type, replacing another of theirs (set), or removes it
 * when it is that type (!set) (SB_ACT_MESSAGE_POST: whoever may post may react); SB_ERR_INVALID
 * for an unknown type or a deleted message. */
sb_err teams_reaction_set(struct sb_ctx *ctx, const struct sb_principal *who, const char *team_id,
                          const char *channel_id, const char *parent_id, const char *id,
                          const char *type, bool set, struct sb_diag *diag);

/* ---- read state (readstate.c) and message search (search.c) ---- */

/* The caller's channel states: every channel of their teams with its unread count (messages
 * after their read position that others wrote) and mention count (SB_ACT_SIGNED_IN). *out is a
 * heap array (free()). */
sb_err teams_channel_states(struct sb_ctx *ctx, const struct sb_principal *who,
                            struct sb_channel_state **out, size_t *n, struct sb_diag *diag);
/* Moves the caller's read position in channel_id to message_id (SB_ACT_CHANNEL_READ: an
 * unknown or invisible channel is NOT_FOUND); a message that is not of that channel is
 * SB_ERR_INVALID. */
sb_err teams_read_state_set(struct sb_ctx *ctx, const struct sb_principal *who,
                            const char *channel_id, const char *message_id, struct sb_diag *diag);

#define TEAMS_SEARCH_SIZE_MAX 100 /* hits per page of a message search */
/* Matches a search counts for its total (beyond: at least this many, as Graph's totals are
 * estimates). Each counted match costs a visit of its row: 10,000 made the count of a common
 * word the slowest part of a search at 1,000,000 messages (docs/conversation.md). */
#define TEAMS_SEARCH_COUNT_MAX 1000
/* One request of POST /search/query for entityTypes ["chatMessage"] (SB_ACT_SEARCH): *out is
 * its Graph searchResponse {searchTerms, hitsContainers}. Only messages of the caller's teams
 * (every team for administrators), newest first, each hit's summary highlighting the words;
 * total counts up to TEAMS_SEARCH_COUNT_MAX matches (or the end of the page asked for).
 * The query string is only ever read as words (core/words.h). */
sb_err teams_message_search(struct sb_ctx *ctx, const struct sb_principal *who, json_t *request,
                            json_t **out, struct sb_diag *diag);

/* Publishes the messages and card updates that this and every other server process on the
 * same database store, in commit order (remote.c). */
sb_err teams_remote_start(struct sb_ctx *ctx);

#endif
