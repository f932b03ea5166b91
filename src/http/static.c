#include "http/static.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define STATIC_MAX (16 * 1024 * 1024)

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
        http_response_header(resp, "Content-Security-Policy",
                             "default-src 'self'; img-src 'self' https: data:; "
                             "style-src 'self' 'unsafe-inline'; frame-src https: http:; "
                             "object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
    http_response_header(resp, "Referrer-Policy", "same-origin");
    return SB_OK;
}
