/*
 * translate.h: cards for other destinations (issue 24, contract §8).
 *
 * - MessageCard -> Adaptive Card 1.4 (title, text, sections with their activity, facts,
 *   images and hero image, OpenUri actions). What has no Adaptive Card equivalent (HttpPOST,
 *   ActionCard and InvokeAddInCommand actions, a non-OpenUri action's target) is kept as a
 *   TextBlock saying what it was, never silently dropped; themeColor becomes the style of the
 *   card's outer Container.
 * - Any Adaptive Card (given or translated) -> Slack incoming-webhook JSON ({text, blocks}:
 *   header, section (mrkdwn, at most 3000 characters, fields of at most 10 x 2000), image and
 *   a button per OpenUrl; at most 50 blocks, the rest folded into the last section's text),
 *   and -> e-mail (an HTML part with tables and inline styles, a plain-text part).
 * Strings are the caller's to free (free()); json_t results are new references.
 */
#ifndef SB_CARDS_TRANSLATE_H
#define SB_CARDS_TRANSLATE_H

#include "core/sb.h"

#include <jansson.h>

/* The Adaptive Card (content) for a MessageCard object. */
sb_err card_messagecard_to_adaptive(json_t *mc, json_t **out);
/* {type:"message", attachments:[{contentType: adaptive, content}]}; steals content. */
sb_err card_adaptive_envelope(json_t *content, json_t **out);
/* POST /api/v1/translate: body must be a valid MessageCard (the webhook's rules: an object,
 * not the message envelope, with a non-empty text or summary); *out is the envelope's JSON
 * text. SB_ERR_INVALID with diag set otherwise. */
sb_err card_translate_messagecard(const char *body, size_t len, char **out, struct sb_diag *diag);
/* An Adaptive Card holding text (a person's message, tags already removed) in a TextBlock. */
sb_err card_text_adaptive(const char *from, const char *text, json_t **out);
/* The Adaptive Cards of a stored message: its attachments (JSON array text in Graph's shape:
 * content as a string; MessageCards translated) or, when it has none, its body as a TextBlock
 * card. *out is a JSON array of Adaptive Card contents. */
sb_err card_message_adaptive(const char *from, const char *body_type, const char *body,
                             const char *attachments, json_t **out);
/* Slack's incoming-webhook body for those cards. */
sb_err card_to_slack(json_t *cards, json_t **out);
/* The e-mail parts for those cards: HTML (tables, inline styles) and plain text. */
sb_err card_to_email(json_t *cards, char **html, char **text);
/* Plain text of an html body: tags removed, entities of the five XML kinds and &nbsp; decoded,
 * block ends as new lines. */
sb_err card_html_text(const char *html, char **out);

#endif
