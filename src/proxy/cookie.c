/*
 * cookie.c: the cookies that cross the configuration-page proxy (see proxy.h): Switchboard's own
 * never go upstream, and what the vendor sets comes back host-only, never under our names.
 */
#include "proxy/proxy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **a, const char **b)
{
    while (*a < *b && blank(**a))
        (*a)++;
    while (*b > *a && blank((*b)[-1]))
        (*b)--;
}

/* Switchboard's own cookies: the session (both spellings) and the sandbox session. */
static bool cookie_is_ours(const char *name, size_t n)
{
    static const char *const ours[] = {"sb_session", "__Host-sb_session", PROXY_SANDBOX_COOKIE};

    for (size_t i = 0; i < sizeof(ours) / sizeof(ours[0]); i++)
        if (strlen(ours[i]) == n && strncasecmp(name, ours[i], n) == 0)
            return true;
    return false;
}

/* A cookie name as RFC 6265 allows it (an HTTP token), not empty. */
static bool cookie_name_ok(const char *a, const char *b)
{
    if (a == b)
        return false;
    for (; a < b; a++)
        if ((unsigned char)*a <= 32 || *a == 127 || strchr("()<>@,;:\\\"/[]?={}", *a))
            return false;
    return true;
}

/* One "name=value" pair of a Cookie header, trimmed; *name_end is where the name stops. */
static const char *cookie_pair(const char *p, const char **a, const char **b, const char **name_end)
{
    const char *end = strchr(p, ';'), *eq;

    if (!end)
        end = p + strlen(p);
    *a = p;
    *b = end;
    trim(a, b);
    eq = memchr(*a, '=', (size_t)(*b - *a));
    *name_end = eq ? eq : *b;
    while (*name_end > *a && blank((*name_end)[-1]))
        (*name_end)--;
    return *end ? end + 1 : end;
}

sb_err proxy_cookie_filter(const char *in, char **out)
{
    size_t n = 0, len = strlen(in);
    char *buf = malloc(2 * len + 1);
    const char *a, *b, *ne;

    *out = NULL;
    if (!buf)
        return SB_ERR_NOMEM;
    for (const char *p = in; *p;) {
        p = cookie_pair(p, &a, &b, &ne);
        if (a == b || cookie_is_ours(a, (size_t)(ne - a)))
            continue;
        if (n) {
            buf[n++] = ';';
            buf[n++] = ' ';
        }
        memcpy(buf + n, a, (size_t)(b - a));
        n += (size_t)(b - a);
    }
    buf[n] = '\0';
    if (n)
        *out = buf;
    else
        free(buf);
    return SB_OK;
}

bool proxy_set_cookie_rewrite(const char *in, char *out, size_t cap)
{
    static const char *const keep[] = {"Path",     "Expires",  "Max-Age",    "Secure",
                                       "HttpOnly", "SameSite", "Partitioned"};
    const char *p = strchr(in, ';'), *a = in, *b = p ? p : in + strlen(in), *eq;
    size_t n;
    int w;

    trim(&a, &b);
    eq = memchr(a, '=', (size_t)(b - a));
    if (!eq) /* a nameless cookie is sent as its bare value: it could pose as any name */
        return false;
    {
        const char *ne = eq;
        while (ne > a && blank(ne[-1]))
            ne--;
        if (!cookie_name_ok(a, ne) || cookie_is_ours(a, (size_t)(ne - a)))
            return false;
    }
    w = snprintf(out, cap, "%.*s", (int)(b - a), a);
    if (w < 0 || (size_t)w >= cap)
        return false;
    n = (size_t)w;
    /* Attributes: only those that keep the cookie host-only on the sandbox origin. Domain (in any
     * spelling, anywhere) and anything unknown are dropped. */
    while (p) {
        const char *next = strchr(p + 1, ';'), *an, *ae, *va = NULL, *vb = NULL;

        a = p + 1;
        b = next ? next : p + 1 + strlen(p + 1);
        trim(&a, &b);
        eq = memchr(a, '=', (size_t)(b - a));
        an = a;
        ae = eq ? eq : b;
        trim(&an, &ae);
        if (eq) {
            va = eq + 1;
            vb = b;
            trim(&va, &vb);
        }
        for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++) {
            bool flag = i == 3 || i == 4 || i == 6;

            if (strlen(keep[i]) != (size_t)(ae - an) ||
                strncasecmp(an, keep[i], strlen(keep[i])) != 0)
                continue;
            if (flag)
                w = snprintf(out + n, cap - n, "; %s", keep[i]);
            else if (va)
                w = snprintf(out + n, cap - n, "; %s=%.*s", keep[i], (int)(vb - va), va);
            else
                break;
            if (w < 0 || (size_t)w >= cap - n)
                return false;
            n += (size_t)w;
            break;
        }
        p = next;
    }
    return true;
}

const char *proxy_cookie_next(const char *p, const char *name, char *out, size_t cap)
{
    const char *a, *b, *ne, *v;

    while (*p) {
        p = cookie_pair(p, &a, &b, &ne);
        v = memchr(a, '=', (size_t)(b - a));
        if (!v || (size_t)(ne - a) != strlen(name) || strncmp(a, name, (size_t)(ne - a)) != 0)
            continue;
        for (v++; v < b && blank(*v); v++)
            ;
        if ((size_t)(b - v) >= cap)
            continue;
        snprintf(out, cap, "%.*s", (int)(b - v), v);
        return p;
    }
    return NULL;
}
