#include "api/api.h"

#include "core/json.h"
#include "core/utf8.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int status_of(sb_err err)
{
    switch (err) {
    case SB_OK:
        return 200;
    case SB_ERR_INVALID:
        return 400;
    case SB_ERR_UNAUTHORIZED:
        return 401;
    case SB_ERR_FORBIDDEN:
        return 403;
    case SB_ERR_NOT_FOUND:
        return 404;
    case SB_ERR_CONFLICT:
        return 409;
    case SB_ERR_TOO_LARGE:
        return 413;
    case SB_ERR_THROTTLED:
        return 429;
    case SB_ERR_UNAVAILABLE:
        return 503;
    case SB_ERR_NOMEM:
    case SB_ERR_IO:
        break;
    }
    return 500;
}

static const char *default_code(sb_err err)
{
    switch (err) {
    case SB_ERR_INVALID:
        return "invalidRequest";
    case SB_ERR_UNAUTHORIZED:
        return "InvalidAuthenticationToken";
    case SB_ERR_FORBIDDEN:
        return "Forbidden";
    case SB_ERR_NOT_FOUND:
        return "NotFound";
    case SB_ERR_CONFLICT:
        return "Conflict";
    case SB_ERR_TOO_LARGE:
        return "RequestEntityTooLarge";
    case SB_ERR_THROTTLED:
        return "TooManyRequests";
    case SB_ERR_UNAVAILABLE:
        return "ServiceNotAvailable";
    default:
        return "InternalServerError";
    }
}

void api_json(struct api_call *c, int status, json_t *v)
{
    char *text = NULL;

    if (!v || sb_json_dump(v, &text)) {
        json_decref(v);
        c->resp->status = 500;
        return;
    }
    json_decref(v);
    free(c->resp->body);
    c->resp->status = status;
    c->resp->content_type = "application/json; charset=utf-8";
    c->resp->body = text;
    c->resp->body_len = strlen(text);
}

void api_json_text(struct api_call *c, int status, struct sb_buf *text)
{
    free(c->resp->body);
    c->resp->status = status;
    c->resp->content_type = "application/json; charset=utf-8";
    c->resp->body_len = text->len;
    c->resp->body = sb_buf_take(text);
}

void api_no_content(struct api_call *c)
{
    c->resp->status = 204;
}

void api_fail(struct api_call *c, sb_err err)
{
    const char *code = c->diag.code[0] ? c->diag.code : default_code(err);
    const char *message = c->diag.message[0] ? c->diag.message : sb_err_name(err);
    int status = status_of(err);

    if (status >= 500 && !c->diag.message[0])
        message = "the server could not complete the request";
    api_json(c, status, json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message));
    if (status == 401)
        http_response_header(c->resp, "WWW-Authenticate", "Bearer");
}

void api_failf(struct api_call *c, sb_err err, const char *code, const char *fmt, ...)
{
    va_list ap;

    snprintf(c->diag.code, sizeof(c->diag.code), "%s", code);
    va_start(ap, fmt);
    vsnprintf(c->diag.message, sizeof(c->diag.message), fmt, ap);
    va_end(ap);
    sb_utf8_scrub(c->diag.message); /* a quoted text may have been cut inside a character */
    api_fail(c, err);
}

json_t *api_body_object(struct api_call *c)
{
    json_t *v = NULL;
    sb_err err = sb_json_parse_object(c->req->body, c->req->body_len, &v, &c->diag);

    if (err) {
        api_fail(c, err);
        return NULL;
    }
    return v;
}

const char *api_param(const struct api_call *c, size_t i)
{
    return i < c->req->nparams ? c->req->params[i] : "";
}

void api_webhook_not_found(struct api_call *c, bool workflow)
{
    static const char text[] =
        "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP "
        "error 404 with ContextId tcid=0,server=switchboard. The webhook URL is not valid.";

    if (workflow)
        api_json(c, 404,
                 json_pack("{s:{s:s,s:s}}", "error", "code", "WebhookNotFound", "message", text));
    else
        http_response_text(c->resp, 404, "text/plain; charset=utf-8", text);
}
