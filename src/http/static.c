#include "http/static.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define STATIC_MAX (16 * 1024 * 1024)

#define CSP                                                                                        \
    "default-src 'self'; img-src 'self' https: data:; "                                            \
    "style-src 'self' 'unsafe-inline'; frame-src https: http:; "                                   \
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"

struct mime {
    const char *ext;
    const char *type;
};

static const struct mime mimes[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".map", "application/json"},
    {".txt", "text/plain; charset=utf-8"},
};

static const char *mime_of(const char *path)
{
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot && i < sizeof(mimes) / sizeof(mimes[0]); i++)
        if (strcmp(dot, mimes[i].ext) == 0)
            return mimes[i].type;
    return "application/octet-stream";
}

static bool safe(const char *path)
{
    if (path[0] != '/' || strchr(path, '\\') || strstr(path, "/.") || strstr(path, "//"))
        return false;
    return strlen(path) < 512;
}

/* Reads root + rel if it is a regular file that really lies under root. */
static sb_err read_under(const char *root, const char *rel, char **data, size_t *len)
{
    char joined[PATH_MAX], real[PATH_MAX], real_root[PATH_MAX];
    struct stat st;
    FILE *f = NULL;
    char *buf = NULL;
    sb_err err = SB_ERR_NOT_FOUND;

    if (snprintf(joined, sizeof(joined), "%s%s", root, rel) >= (int)sizeof(joined) ||
        !realpath(root, real_root) || !realpath(joined, real) ||
        strncmp(real, real_root, strlen(real_root)) != 0 || real[strlen(real_root)] != '/' ||
        stat(real, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > STATIC_MAX)
        return SB_ERR_NOT_FOUND;
    f = fopen(real, "rb");
    if (!f)
        return SB_ERR_NOT_FOUND;
    buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
        err = SB_ERR_IO;
        goto out;
    }
    *data = buf;
    *len = (size_t)st.st_size;
    buf = NULL;
    err = SB_OK;
out:
    free(buf);
    fclose(f);
    return err;
}

/* Whether the request's Accept-Encoding accepts coding (a token of the list whose q is not 0).
 * "*" is not taken to mean br or gzip: a client that says only that gets the plain file. */
static bool accepts(const char *header, const char *coding)
{
    size_t n = strlen(coding);
    const char *p = header;

    /* Each comma-separated entry: CODING [; q=VALUE] */
    while (p && *p) {
        const char *end = strchr(p, ','), *q;
        size_t len;

        while (*p == ' ' || *p == '\t')
            p++;
        len = end ? (size_t)(end - p) : strlen(p);
        if (len >= n && strncasecmp(p, coding, n) == 0 &&
            (len == n || p[n] == ';' || p[n] == ' ' || p[n] == '\t')) {
            /* q=0 (any spelling of zero) refuses the coding */
            q = memchr(p, '=', len);
            if (q && q[-1] == 'q' && strtod(q + 1, NULL) == 0.0)
                return false;
            return true;
        }
        p = end ? end + 1 : NULL;
    }
    return false;
}

/* A content-hashed name as scripts/build-web writes them: NAME.<16 hex digits>.EXT, or
 * esbuild's code-split chunks, /chunk-<8 or more letters and digits>.js. Such a file never
 * changes under its name, so browsers may keep it for a year without asking again. */
static bool hashed_name(const char *rel)
{
    const char *last = strrchr(rel, '/'), *ext = strrchr(rel, '.');
    const char *h;

    if (!last || !ext)
        return false;
    if (strncmp(last, "/chunk-", 7) == 0 && strcmp(ext, ".js") == 0 && ext - last >= 7 + 8) {
        for (h = last + 7; h < ext; h++)
            if (!isalnum((unsigned char)*h))
                return false;
        return true;
    }
    if (ext - last < 18)
        return false;
    h = ext - 17;
    if (*h != '.')
        return false;
    for (int i = 1; i <= 16; i++)
        if (!isxdigit((unsigned char)h[i]))
            return false;
    return true;
}

/* FNV-1a, 64 bits: the ETag of a file's bytes (the encoded bytes: each encoding has its own). */
static uint64_t fnv64(const char *data, size_t len)
{
    uint64_t h = 14695981039346656037ull;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)data[i]) * 1099511628211ull;
    return h;
}

/* Whether If-None-Match names etag (or is "*"); weak validators compare equal too. */
static bool etag_matches(const char *inm, const char *etag)
{
    if (!inm)
        return false;
    if (strcmp(inm, "*") == 0)
        return true;
    return strstr(inm, etag) != NULL;
}

/* Whether root + rel is a regular file under root (read_under's checks, without reading). */
static sb_err access_under(const char *root, const char *rel)
{
    char joined[PATH_MAX], real[PATH_MAX], real_root[PATH_MAX];
    struct stat st;

    if (snprintf(joined, sizeof(joined), "%s%s", root, rel) >= (int)sizeof(joined) ||
        !realpath(root, real_root) || !realpath(joined, real) ||
        strncmp(real, real_root, strlen(real_root)) != 0 || real[strlen(real_root)] != '/' ||
        stat(real, &st) != 0 || !S_ISREG(st.st_mode))
        return SB_ERR_NOT_FOUND;
    return SB_OK;
}

sb_err http_static_serve_request(const char *root, const struct http_request *req,
                                 struct http_response *resp)
{
    static const struct {
        const char *token; /* in Accept-Encoding and Content-Encoding */
        const char *suffix;
    } codings[] = {{"br", ".br"}, {"gzip", ".gz"}};
    const char *rel = strcmp(req->path, "/") == 0 ? "/index.html" : req->path;
    const char *last = strrchr(rel, '/');
    const char *ae = http_header(req, "Accept-Encoding");
    const char *coding = NULL;
    char *data = NULL, etag[40], enc_rel[600];
    size_t len = 0;
    sb_err err = SB_ERR_NOT_FOUND;
    bool index, compressible;

    if (!root || !root[0] || !safe(rel))
        return SB_ERR_NOT_FOUND;
    if (access_under(root, rel) != SB_OK && last && !strchr(last, '.'))
        rel = "/index.html";
    compressible = strcmp(mime_of(rel), "application/octet-stream") != 0 &&
                   strncmp(mime_of(rel), "image/png", 9) != 0 &&
                   strncmp(mime_of(rel), "font/", 5) != 0;
    /* The precompressed sibling (build-web writes FILE.br and FILE.gz), when the client takes it.
     */
    for (size_t i = 0; compressible && ae && i < sizeof(codings) / sizeof(codings[0]); i++) {
        if (!accepts(ae, codings[i].token))
            continue;
        snprintf(enc_rel, sizeof(enc_rel), "%s%s", rel, codings[i].suffix);
        err = read_under(root, enc_rel, &data, &len);
        if (err == SB_OK) {
            coding = codings[i].token;
            break;
        }
        if (err != SB_ERR_NOT_FOUND)
            return err;
    }
    if (!coding)
        err = read_under(root, rel, &data, &len);
    if (err)
        return err;
    index = strcmp(rel, "/index.html") == 0;
    snprintf(etag, sizeof(etag), "\"%016llx%s%s\"", (unsigned long long)fnv64(data, len),
             coding ? "-" : "", coding ? coding : "");
    resp->content_type = mime_of(rel);
    if (etag_matches(http_header(req, "If-None-Match"), etag)) {
        free(data);
        resp->status = 304;
    } else {
        resp->status = 200;
        resp->body = data;
        resp->body_len = len;
    }
    http_response_header(resp, "ETag", "%s", etag);
    if (compressible)
        http_response_header(resp, "Vary", "Accept-Encoding");
    if (coding)
        http_response_header(resp, "Content-Encoding", "%s", coding);
    http_response_header(resp, "Cache-Control", "%s",
                         index              ? "no-cache"
                         : hashed_name(rel) ? "public, max-age=31536000, immutable"
                                            : "public, max-age=300");
    if (index)
        http_response_header(resp, "Content-Security-Policy", "%s", CSP);
    http_response_header(resp, "Referrer-Policy", "same-origin");
    return SB_OK;
}

sb_err http_static_serve(const char *root, const char *path, struct http_response *resp)
{
    const char *rel = strcmp(path, "/") == 0 ? "/index.html" : path;
    const char *last = strrchr(rel, '/');
    char *data = NULL;
    size_t len = 0;
    sb_err err;
    bool index;

    if (!root || !root[0] || !safe(rel))
        return SB_ERR_NOT_FOUND;
    err = read_under(root, rel, &data, &len);
    if (err == SB_ERR_NOT_FOUND && last && !strchr(last, '.')) {
        rel = "/index.html";
        err = read_under(root, rel, &data, &len);
    }
    if (err)
        return err;
    index = strcmp(rel, "/index.html") == 0;
    resp->status = 200;
    resp->content_type = mime_of(rel);
    resp->body = data;
    resp->body_len = len;
    http_response_header(resp, "Cache-Control", "%s", index ? "no-cache" : "public, max-age=300");
    if (index)
        http_response_header(resp, "Content-Security-Policy", "%s", CSP);
    http_response_header(resp, "Referrer-Policy", "same-origin");
    return SB_OK;
}
