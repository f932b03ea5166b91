/*
 * json.h: reading request bodies with jansson and turning every mistake into a message that
 * names the field and the rule ("displayName must be a string", "malformed JSON at line 1,
 * column 9: ..."). Nothing here allocates besides the parsed document itself.
 */
#ifndef SB_JSON_H
#define SB_JSON_H

#include "core/buf.h"
#include "core/sb.h"

#include <jansson.h>
#include <stdbool.h>

/* Parses body (len bytes, need not be NUL-terminated) and requires a JSON object. */
sb_err sb_json_parse_object(const char *body, size_t len, json_t **out, struct sb_diag *diag);

/* Reads obj[key] as a string of at most max bytes. A missing or null key gives *out = NULL
 * when !required, and a 400 naming the key when required. An empty string counts as missing
 * for required keys. */
sb_err sb_json_string(json_t *obj, const char *key, bool required, size_t max, const char **out,
                      struct sb_diag *diag);

/* Reads obj[key] as a boolean; *present says whether it was there. */
sb_err sb_json_bool(json_t *obj, const char *key, bool *out, bool *present, struct sb_diag *diag);

/* Reads obj[key] as an object (NULL when absent and !required). */
sb_err sb_json_object(json_t *obj, const char *key, bool required, json_t **out,
                      struct sb_diag *diag);

/* Appends the n bytes of s to b escaped as the inside of a JSON string, as jansson escapes
 * (quote, backslash, \b \f \n \r \t, other bytes below 0x20 as \u00XX; UTF-8 kept as is):
 * room for the worst case is made once, then the bytes are written in place. */
sb_err sb_json_put_escaped(struct sb_buf *b, const char *s, size_t n);

/* Serialises v compactly (caller frees). */
sb_err sb_json_dump(const json_t *v, char **out);

#endif
