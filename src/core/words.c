/*
 * words.c: query words and highlighted summaries (words.h).
 */
#include "core/words.h"

#include "core/utf8.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FAIL(...) sb_fail(diag, SB_ERR_INVALID, "invalidRequest", __VA_ARGS__)

bool sb_word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* Splits q into lower-cased words. */
sb_err sb_words_split(const char *q, char terms[SB_WORDS_MAX][SB_WORD_MAX + 1], size_t *n,
                      struct sb_diag *diag)
{
    *n = 0;
    while (*q) {
        size_t len = 0;

        while (*q && !sb_word_char((unsigned char)*q))
            q++;
        if (!*q)
            break;
        if (*n == SB_WORDS_MAX)
            return FAIL("query.queryString may hold at most %d words", SB_WORDS_MAX);
        while (*q && sb_word_char((unsigned char)*q)) {
            if (len < SB_WORD_MAX)
                terms[*n][len++] = (char)tolower((unsigned char)*q);
            q++;
        }
        terms[*n][len] = '\0';
        sb_utf8_scrub(
            terms[*n]); /* a long word is cut at SB_WORD_MAX bytes, maybe in a character */
        (*n)++;
    }
    if (*n == 0)
        return FAIL("query.queryString must contain at least one word");
    return SB_OK;
}

/* Whether a term occurs as a whole word at text[i] (text[i] starts a word); its length. */
static size_t term_at(const char *text, size_t i, const char *const *terms, size_t nterms)
{
    for (size_t t = 0; t < nterms; t++) {
        size_t n = strlen(terms[t]);

        if (!strncasecmp(text + i, terms[t], n) && !sb_word_char((unsigned char)text[i + n]))
            return n;
    }
    return 0;
}

static sb_err put(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t ncap = (*len + n + 1) * 2;
        char *p = realloc(*buf, ncap);

        if (!p)
            return SB_ERR_NOMEM;
        *buf = p;
        *cap = ncap;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[*len] = '\0';
    return SB_OK;
}

sb_err sb_highlight(const char *text, const char *const *terms, size_t nterms, size_t max,
                    char **out)
{
    size_t tlen = strlen(text), first = tlen, start = 0, end, len = 0, cap = 0;
    char *buf = NULL;
    sb_err err = SB_OK;

    *out = NULL;
    for (size_t i = 0; i < tlen; i++)
        if ((i == 0 || !sb_word_char((unsigned char)text[i - 1])) &&
            term_at(text, i, terms, nterms)) {
            first = i;
            break;
        }
    if (first < tlen && first > max / 3) {
        start = first - max / 3;
        while (start < first && sb_word_char((unsigned char)text[start]))
            start++; /* do not begin inside a word */
        while (start < first && !sb_word_char((unsigned char)text[start]))
            start++;
    }
    end = start + max < tlen ? start + max : tlen;
    while (end < tlen && end > start && sb_word_char((unsigned char)text[end]))
        end--; /* do not end inside a word */
    if (start > 0)
        err = put(&buf, &len, &cap, "<ddd/>", 6);
    for (size_t i = start; !err && i < end;) {
        size_t n = 0;

        if (i == 0 || !sb_word_char((unsigned char)text[i - 1]))
            n = term_at(text, i, terms, nterms);
        if (n) {
            if (!(err = put(&buf, &len, &cap, "<c0>", 4)) &&
                !(err = put(&buf, &len, &cap, text + i, n)))
                err = put(&buf, &len, &cap, "</c0>", 5);
            i += n;
        } else {
            err = put(&buf, &len, &cap, text + i, 1);
            i++;
        }
    }
    if (!err && end < tlen)
        err = put(&buf, &len, &cap, "<ddd/>", 6);
    if (!err && !buf)
        err = put(&buf, &len, &cap, "", 0);
    if (err) {
        free(buf);
        return err;
    }
    *out = buf;
    return SB_OK;
}
