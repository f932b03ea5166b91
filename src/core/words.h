/*
 * words.h: the words of a search and the highlighted excerpt of a hit, shared by every search
 * (external items, channel messages).
 *
 * A word is a run of ASCII letters and digits and non-ASCII bytes (so every non-ASCII
 * character counts as a letter); everything else separates words. Query strings are only ever
 * split into such words: quotes, `*`, parentheses, `-`, `:` and the operator words of FTS5 or
 * tsquery (AND, OR, NOT, NEAR) are plain text, so no query string can be a syntax error of the
 * database's full-text engine.
 */
#ifndef SB_WORDS_H
#define SB_WORDS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>

#define SB_WORDS_MAX 16 /* words in a query string */
#define SB_WORD_MAX 64  /* bytes kept of each word */

/* Whether byte c is part of a word. */
bool sb_word_char(unsigned char c);

/* Splits q into at most SB_WORDS_MAX lower-cased words of at most SB_WORD_MAX bytes (a longer
 * word is cut, never inside a character). SB_ERR_INVALID (diag names query.queryString) when
 * q holds no word or too many. */
sb_err sb_words_split(const char *q, char words[SB_WORDS_MAX][SB_WORD_MAX + 1], size_t *n,
                      struct sb_diag *diag);

/* Wraps every occurrence of a term (case-insensitive, whole words) in <c0>..</c0> within an
 * excerpt of at most max bytes of text around the first one; longer text is cut at word
 * boundaries and the cuts marked <ddd/>. Markup-significant characters of text are not escaped
 * (the summary is text with highlight tags, as Graph's). *out is heap. */
sb_err sb_highlight(const char *text, const char *const *terms, size_t nterms, size_t max,
                    char **out);

#endif
