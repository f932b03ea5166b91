/*
 * ids.h: identifiers and timestamps in the forms the wire uses.
 *
 * Ids are random (version 4) GUIDs in lower-case text, as Teams and Graph use them; they are
 * opaque to clients. Times are RFC 3339 UTC with milliseconds, which sort as text.
 */
#ifndef SB_IDS_H
#define SB_IDS_H

#include "core/sb.h"

#include <stdbool.h>

void sb_id_new(const struct sb_ctx *ctx, sb_id out);
bool sb_id_valid(const char *s);
/* Whether the n bytes at s (not NUL-terminated) are an id's text, in either case. */
bool sb_id_text(const char *s, size_t n);
void sb_time_format(int64_t ms, sb_time out);
void sb_time_now(const struct sb_ctx *ctx, sb_time out);
/* Parses RFC 3339 ("2026-01-31T00:00:00Z", optional fraction, "Z" or "+hh:mm") into ms. */
sb_err sb_time_parse(const char *s, int64_t *ms);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void sb_hex(const unsigned char *in, size_t n, char *out);

#endif
