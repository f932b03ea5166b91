/*
 * cards.h: what a webhook post may contain, checked as Teams checks it, and turned into the
 * parts of a chatMessage.
 *
 * Accepted bodies (Content-Type application/json unless noted):
 *   - a MessageCard (`@type: MessageCard`, or any JSON object without the `type: "message"`
 *     envelope, as Teams treats `{"text": ...}`): needs a non-empty `text` or `summary`;
 *   - an envelope `{type: "message", summary?, attachments: [...]}` whose attachments are
 *     Adaptive Cards (`application/vnd.microsoft.card.adaptive`) or O365 connector cards
 *     (`application/vnd.microsoft.teams.card.o365connector`), 1 to 10 of them;
 *   - a text/plain body (what ms-teams-webhook's sendText posts): the message text.
 *
 * Failures return SB_ERR_INVALID with diag->message set to the text Teams answers:
 * "Summary or Text is required." (code "summaryOrTextRequired") when a MessageCard has neither,
 * otherwise "Bad payload received by generic incoming webhook." (code "badPayload") followed by
 * a sentence naming the field and the rule. Nothing is ever interpreted as HTML: markdown and
 * any markup stay in the card JSON as the sender wrote them.
 */
#ifndef SB_CARDS_H
#define SB_CARDS_H

#include "core/sb.h"

#include <stdbool.h>

#define CARD_MAX_ATTACHMENTS 10
/* Teams shows a MessageCard's first 10 sections and drops the rest, as it shows the first 5
 * images of a section ("Each connector card can display a maximum of 10 sections, and each
 * section can contain a maximum of five images and five actions. Any additional sections,
 * images, or actions in a message do not appear": Teams' cards reference). It accepts the
 * card; so does the check. The built-in connectors stay within it so that nothing they say is
 * dropped. */
#define CARD_SHOWN_SECTIONS 10
#define CARD_MAX_ACTIONS 4

#define CARD_TYPE_MESSAGECARD "application/vnd.microsoft.teams.card.o365connector"
#define CARD_TYPE_ADAPTIVE "application/vnd.microsoft.card.adaptive"

/* Most msteams.entities mentions of one message that are kept (the rest are shown, not
 * counted). */
#define CARD_MENTIONS_MAX 50

/* A mention of an Adaptive Card's msteams.entities: who (mentioned.id: a user's id or
 * userPrincipalName, as Teams takes either) and the text inside its <at> tag. Who that is, and
 * whether they may be told, is for the caller to find out. */
struct card_mention {
    char who[SB_NAME_MAX + 1];
    char text[SB_NAME_MAX + 1];
};

struct card_message {
    char *summary;     /* notification text: the card's summary, title or text, at most 256
                          bytes, cut at a UTF-8 boundary; never NULL on success */
    char *body;        /* chatMessage body.content: `<attachment id="ID"></attachment>` per card */
    char *attachments; /* JSON array text: [{id, contentType, content, name}] where content is
                          the card JSON serialised as a string (Graph's chatMessage shape) */
    char *card_text;   /* the words people read in the cards, for search (core/cardtext.h) */
    struct card_mention *mentions; /* the cards' mentions (at most CARD_MENTIONS_MAX), in order;
                                      NULL when none */
    size_t n_mentions;
};

/* Validates and normalises one webhook body. content_type may be NULL (treated as JSON).
 * new_id is called once per attachment to name it (ids are GUID text, 37 bytes). */
sb_err card_message_parse(const char *body, size_t len, const char *content_type,
                          void (*new_id)(void *arg, char out[37]), void *id_arg,
                          struct card_message *out, struct sb_diag *diag);

void card_message_free(struct card_message *m);

#endif
