/*
 * pg_placeholders.c: the domain SQL's `?` placeholders in PostgreSQL's `$1..$n` form.
 */
#include "store/db.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *db_pg_placeholders(const char *sql, int *n)
{
    size_t len = strlen(sql), q = 0, o = 0;
    char quote = 0;
    char *out;

    for (const char *p = sql; *p; p++)
        q += *p == '?';
    /* Each '?' grows to at most "$" plus 10 digits. */
    out = malloc(len + q * 10 + 1);
    if (!out)
        return NULL;
    *n = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            /* A doubled quote inside a literal ('it''s') is an escaped quote: the second
             * character reopens the literal right away, so no special case is needed. */
            if (*p == quote)
                quote = 0;
            out[o++] = *p;
        } else if (*p == '\'' || *p == '"') {
            quote = *p;
            out[o++] = *p;
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                out[o++] = *p++;
            if (!*p)
                break;
            out[o++] = *p;
        } else if (*p == '?') {
            o += (size_t)sprintf(out + o, "$%d", ++*n);
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
    return out;
}
