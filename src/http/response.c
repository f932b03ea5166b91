#include "http/http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

sb_err http_response_header(struct http_response *resp, const char *name, const char *fmt, ...)
{
    va_list ap;
    char *value = NULL;
    int n;

    if (resp->nheaders == HTTP_MAX_HEADERS)
        return SB_ERR_NOMEM;
    va_start(ap, fmt);
    n = vasprintf(&value, fmt, ap);
    va_end(ap);
    if (n < 0)
        return SB_ERR_NOMEM;
    resp->headers[resp->nheaders].name = name;
    resp->headers[resp->nheaders].value = value;
    resp->nheaders++;
    return SB_OK;
}

sb_err http_response_text(struct http_response *resp, int status, const char *content_type,
                          const char *text)
{
    char *copy = strdup(text);

    if (!copy)
        return SB_ERR_NOMEM;
    free(resp->body);
    resp->status = status;
    resp->content_type = content_type;
    resp->body = copy;
    resp->body_len = strlen(copy);
    return SB_OK;
}

void http_response_clear(struct http_response *resp)
{
    free(resp->body);
    for (size_t i = 0; i < resp->nheaders; i++)
        free(resp->headers[i].value);
    memset(resp, 0, sizeof(*resp));
}
