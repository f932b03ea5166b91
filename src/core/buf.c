#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_err sb_buf_reserve(struct sb_buf *b, size_t extra)
{
    size_t need, cap;
    char *p;

    if (extra > SIZE_MAX / 2 - b->len)
        return SB_ERR_NOMEM;
    need = b->len + extra + 1;
    if (need <= b->cap)
        return SB_OK;
    cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    p = realloc(b->data, cap);
    if (!p)
        return SB_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return SB_OK;
}

sb_err sb_buf_append(struct sb_buf *b, const void *data, size_t len)
{
    sb_err err = sb_buf_reserve(b, len);

    if (err)
        return err;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return SB_OK;
}

sb_err sb_buf_puts(struct sb_buf *b, const char *s)
{
    return sb_buf_append(b, s, strlen(s));
}

sb_err sb_buf_printf(struct sb_buf *b, const char *fmt, ...)
{
    va_list ap;
    int n;
    sb_err err;

    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SB_ERR_INVALID;
    err = sb_buf_reserve(b, (size_t)n);
    if (err)
        return err;
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return SB_OK;
}

char *sb_buf_take(struct sb_buf *b)
{
    char *s = b->data;

    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void sb_buf_free(struct sb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
