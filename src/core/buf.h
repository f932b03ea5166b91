/*
 * buf.h: a growable byte buffer that always keeps a terminating NUL, for building strings
 * whose size is not known in advance (URLs, SQL lists, response bodies).
 */
#ifndef SB_BUF_H
#define SB_BUF_H

#include "core/sb.h"

struct sb_buf {
    char *data; /* NUL-terminated; NULL until the first append */
    size_t len;
    size_t cap;
};

/* Makes room for extra more bytes (and the NUL) so that appends of that much do not move the
 * data; a writer may also fill data[len..len+extra) itself and then advance len. */
sb_err sb_buf_reserve(struct sb_buf *b, size_t extra);
sb_err sb_buf_append(struct sb_buf *b, const void *data, size_t len);
sb_err sb_buf_puts(struct sb_buf *b, const char *s);
sb_err sb_buf_printf(struct sb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hands the string to the caller (who frees it) and leaves b empty. */
char *sb_buf_take(struct sb_buf *b);
void sb_buf_free(struct sb_buf *b);

#endif
