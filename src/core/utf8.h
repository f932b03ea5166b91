/*
 * utf8.h: UTF-8 rules shared by everything that checks or shortens text.
 *
 * Validity is jansson's rule for JSON text (no overlong forms, no surrogates, nothing above
 * U+10FFFF): a string that passes sb_utf8_valid() always becomes a JSON string. Shortening never
 * splits a character, so text cut for a card, a log line or an error message stays acceptable to
 * jansson. Every function here takes invalid input too: a byte that does not start a valid
 * sequence counts as one character of its own (and sb_utf8_scrub() drops it).
 */
#ifndef SB_UTF8_H
#define SB_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/* Whether the n bytes at s are valid UTF-8 (NUL bytes are valid characters). */
bool sb_utf8_valid(const char *s, size_t n);

/* The number of characters in the NUL-terminated s. */
size_t sb_utf8_chars(const char *s);

/* The byte length of the first max_chars characters of the NUL-terminated s (all of s when it is
 * shorter): what to pass to "%.*s" to cut by characters. */
size_t sb_utf8_prefix_chars(const char *s, size_t max_chars);

/* The byte length of the longest prefix of the NUL-terminated s that is at most max_bytes long
 * and does not end inside a character. */
size_t sb_utf8_prefix_bytes(const char *s, size_t max_bytes);

/* Removes, in place, every byte of s that is not part of a valid character (such as the start
 * of a character that snprintf() cut at the end of a fixed buffer); returns the new length. */
size_t sb_utf8_scrub(char *s);

#endif
