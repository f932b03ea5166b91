/*
 * utf8.c: see utf8.h.
 */
#include "core/utf8.h"

#include <string.h>

/* The length of the valid character starting at s[0] (n bytes available), or 0 when s[0] does
 * not start one. */
static size_t seq_len(const unsigned char *s, size_t n)
{
    unsigned c = s[0], cp;
    size_t k;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        k = 1;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        k = 2;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 3;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n <= k)
        return 0;
    for (size_t j = 1; j <= k; j++) {
        if ((s[j] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[j] & 0x3F);
    }
    if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return k + 1;
}

/* The step from s[0] to the next character: a valid sequence, or one stray byte. */
static size_t step(const unsigned char *s, size_t n)
{
    size_t k = seq_len(s, n);
    return k ? k : 1;
}

bool sb_utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;

    while (i < n) {
        size_t k = seq_len(p + i, n - i);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

size_t sb_utf8_chars(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0, chars = 0;

    while (i < n) {
        i += step(p + i, n - i);
        chars++;
    }
    return chars;
}

size_t sb_utf8_prefix_chars(const char *s, size_t max_chars)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strlen(s), i = 0;

    while (i < n && max_chars-- > 0)
        i += step(p + i, n - i);
    return i;
}

size_t sb_utf8_prefix_bytes(const char *s, size_t max_bytes)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t n = strnlen(s, max_bytes), i = 0;

    /* Only the first max_bytes are looked at, plus what a character starting there may need. */
    n = n < max_bytes ? n : strnlen(s, max_bytes + 3);
    while (i < n) {
        size_t k = step(p + i, n - i);
        if (i + k > max_bytes)
            break;
        i += k;
    }
    return i;
}

size_t sb_utf8_scrub(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t n = strlen(s), i = 0, o = 0;

    while (i < n) {
        size_t k = seq_len(p + i, n - i);
        if (!k) {
            i++;
            continue;
        }
        memmove(p + o, p + i, k);
        o += k;
        i += k;
    }
    p[o] = '\0';
    return o;
}
