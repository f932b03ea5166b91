/*
 * card_actions.h: the actions of stored cards that call the sender's service (actionable
 * messages): MessageCard `HttpPOST` (at the card's, a section's or an `ActionCard`'s
 * potentialAction/actions) and Adaptive Card `Action.Http` (anywhere in the card).
 *
 * An action is named by its own id, as the contract says: a MessageCard HttpPOST's "@id", an
 * Adaptive Card Action.Http's "id", when exactly one service-calling action of the message has
 * it. Actions without an id (or with one that several share) are named by
 * "<attachment id>:<JSON Pointer>" (RFC 6901) into the card as stored, e.g.
 * "9f0c...:/potentialAction/1/actions/0" or "9f0c...:/body/2/actions/0". The browser sends the
 * id, or computes the same pointer while rendering, with only the input values; the target URL
 * and body are always read from the stored card.
 */
#ifndef SB_CARD_ACTIONS_H
#define SB_CARD_ACTIONS_H

#include "core/sb.h"

#include <jansson.h>
#include <stdbool.h>

struct card_action {
    char attachment_id[40];
    bool adaptive;
    char method[8]; /* "POST" (MessageCard HttpPOST) or Action.Http's method */
    char *url;      /* the target as written (heap) */
    char *body;     /* the body template (heap, "" when none) */
    char content_type[128];
    json_t *headers; /* [{name, value}] from the card (new reference; may be empty) */
};

/* Finds action_id (an action's own id, else attachment id + pointer) in a message's attachments
 * (JSON array text). SB_ERR_NOT_FOUND (code "actionNotFound") when it does not name an HttpPOST
 * / Action.Http of the message. */
sb_err card_action_find(const char *attachments, const char *action_id, struct card_action *out,
                        struct sb_diag *diag);
void card_action_free(struct card_action *a);

enum card_subst { CARD_SUBST_RAW, CARD_SUBST_JSON, CARD_SUBST_URL };

/* Replaces every {{ID.value}} of tmpl by inputs[ID] (a string; absent ones become ""), escaped
 * for a JSON string, URL-encoded, or as is. *out is heap. */
sb_err card_action_substitute(const char *tmpl, json_t *inputs, enum card_subst mode, char **out);
/* The escaping a body of this content type needs. */
enum card_subst card_subst_for(const char *content_type);

/* Cheap test on attachments text: can it hold an action (before paying for a parse)? */
bool card_actions_present(const char *attachments);
/* Removes the service-calling actions (HttpPOST, ActionCards left without actions,
 * Action.Http) from a chatMessage JSON's attachments, in place; *changed says whether any
 * was removed. OpenUri / Action.OpenUrl and the rest of the card stay. */
sb_err card_actions_strip(json_t *message, bool *changed);

/* Replaces attachment attachment_id of attachments (JSON array text) by the card a service
 * returned with CARD-UPDATE-IN-BODY: an Adaptive Card for an Adaptive Card attachment, a
 * MessageCard for a MessageCard one. The card must be a JSON object of the right kind and at
 * most max_bytes long. *out is the new attachments text (heap). SB_ERR_INVALID (diag says why)
 * when the body is not such a card. */
sb_err card_replace(const char *attachments, const char *attachment_id, const char *card_text,
                    size_t card_len, size_t max_bytes, char **out, struct sb_diag *diag);

#endif
