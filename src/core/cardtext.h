/*
 * cardtext.h: the words people read in a card, for search.
 *
 * The string values of a MessageCard's or Adaptive Card's text properties (titles, texts,
 * summaries, sections' activity lines, facts' names and values, TextBlocks and TextRuns,
 * FactSets, action titles, alternative texts, input labels), one a line, in document order;
 * links (http:, https:, data:) are not words. In core/ because two layers need it on their own
 * inputs: cards/ on the card it has just parsed (so a posted card is not parsed again for its
 * text), the store on a stored message's attachments (messages of other origins, card updates,
 * messages stored before the index existed).
 */
#ifndef SB_CARDTEXT_H
#define SB_CARDTEXT_H

#include "core/buf.h"
#include "core/sb.h"

#include <jansson.h>
#include <stddef.h>

#define SB_CARD_TEXT_MAX (64 * 1024) /* bytes of a message's search text kept */

/* Appends card's text to b, each piece on a line of its own (after a newline when b is not
 * empty), until b holds max bytes (a piece may cross it: the caller cuts). */
sb_err sb_card_text_append(struct sb_buf *b, json_t *card, size_t max);

#endif
