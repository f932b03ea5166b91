/*
 * oauth_api.c: POST /{tenant}/oauth2/v2.0/token, the client-credentials grant of Graph
 * connector apps (public route; the form body carries the credentials). Answers in the OAuth
 * 2.0 shapes MSAL expects: {token_type, expires_in, ext_expires_in, access_token}, or
 * {error, error_description} with 400 or 401.
 */
#include "api/api.h"

#include "core/config.h"
#include "graphconn/graphconn.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FORM_FIELDS 16

struct form {
    char *buf; /* the decoded copy of the body; names and values point into it */
    const char *name[FORM_FIELDS], *value[FORM_FIELDS];
    size_t n;
};

static int hexval(char c)
{
    if (isdigit((unsigned char)c))
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Decodes s in place ('+' is a space, %XX a byte); false on a bad escape or a NUL. */
static bool url_decode(char *s)
{
    char *w = s;

    for (; *s; s++) {
        if (*s == '+') {
            *w++ = ' ';
        } else if (*s == '%') {
            int hi = hexval(s[1]), lo = hi < 0 ? -1 : hexval(s[2]);

            if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
                return false;
            *w++ = (char)(hi << 4 | lo);
            s += 2;
        } else {
            *w++ = *s;
        }
    }
    *w = '\0';
    return true;
}

static bool parse_form(const char *body, struct form *f)
{
    char *p, *save = NULL;

    memset(f, 0, sizeof(*f));
    if (!body || !(f->buf = strdup(body)))
        return false;
    for (p = strtok_r(f->buf, "&", &save); p; p = strtok_r(NULL, "&", &save)) {
        char *eq = strchr(p, '=');

        if (!eq || f->n == FORM_FIELDS)
            return false;
        *eq = '\0';
        if (!url_decode(p) || !url_decode(eq + 1))
            return false;
        f->name[f->n] = p;
        f->value[f->n++] = eq + 1;
    }
    return true;
}

static const char *form_get(const struct form *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->name[i], name))
            return f->value[i];
    return NULL;
}

static void oauth_error(struct api_call *c, int status, const char *error, const char *desc)
{
    api_json(c, status,
             json_pack("{s:s,s:s,s:[]}", "error", error, "error_description", desc, "error_codes"));
    http_response_header(c->resp, "Cache-Control", "no-store");
}

void api_oauth_token(struct api_call *c)
{
    const char *tenant = api_param(c, 0), *grant;
    struct sb_oauth_error e = {{0}, {0}};
    struct gc_credentials cr = {0};
    char endpoint[1024];
    struct form f;
    char *token = NULL;
    int expires = 0;
    sb_err err;

    if (strcmp(tenant, c->ctx->tenant_id) != 0 && strcmp(tenant, "organizations") != 0 &&
        strcmp(tenant, "common") != 0) {
        oauth_error(c, 400, "invalid_request", "unknown tenant");
        return;
    }
    if (!parse_form(c->req->body, &f)) {
        free(f.buf);
        oauth_error(c, 400, "invalid_request",
                    "the body must be application/x-www-form-urlencoded");
        return;
    }
    grant = form_get(&f, "grant_type");
    if (!grant || strcmp(grant, "client_credentials") != 0) {
        free(f.buf);
        oauth_error(c, 400, "unsupported_grant_type", "grant_type must be client_credentials");
        return;
    }
    snprintf(endpoint, sizeof(endpoint), "%s%s", c->ctx->cfg->public_url, c->req->path);
    cr.client_id = form_get(&f, "client_id");
    cr.secret = form_get(&f, "client_secret");
    cr.assertion_type = form_get(&f, "client_assertion_type");
    cr.assertion = form_get(&f, "client_assertion");
    cr.endpoint = endpoint;
    cr.scope = form_get(&f, "scope");
    err = gc_token_issue(c->ctx, &cr, &token, &expires, &e);
    free(f.buf);
    if (err == SB_ERR_INVALID || err == SB_ERR_UNAUTHORIZED) {
        oauth_error(c, err == SB_ERR_INVALID ? 400 : 401, e.error, e.description);
        return;
    }
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200,
             json_pack("{s:s,s:i,s:i,s:s}", "token_type", "Bearer", "expires_in", expires,
                       "ext_expires_in", expires, "access_token", token));
    http_response_header(c->resp, "Cache-Control", "no-store");
    free(token);
}
