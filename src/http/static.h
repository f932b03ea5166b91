/*
 * static.h: files of the web client (web/dist) served as they are.
 *
 * Only regular files under the root are served: paths with "..", backslashes, NUL or hidden
 * segments are refused, symlinks are not followed out of the root (the resolved path must stay
 * under it). Unknown paths without an extension fall back to index.html, so the client's own
 * routes (/teams/...) load the app.
 */
#ifndef SB_HTTP_STATIC_H
#define SB_HTTP_STATIC_H

#include "http/http.h"

/* Fills resp with the file for req's path, negotiated: the precompressed FILE.br or FILE.gz
 * that scripts/build-web writes beside it when Accept-Encoding takes it (Content-Encoding,
 * Vary), an ETag of the bytes sent and 304 for a matching If-None-Match, and Cache-Control
 * "immutable" for a year on content-hashed names (NAME.<16 hex>.EXT, and esbuild's chunk-HASH.js),
 * "no-cache" on index.html,
 * five minutes on the rest. SB_ERR_NOT_FOUND when there is no file. */
sb_err http_static_serve_request(const char *root, const struct http_request *req,
                                 struct http_response *resp);

/* The file for path as it is (no negotiation): the sandbox host's frame script. */
sb_err http_static_serve(const char *root, const char *path, struct http_response *resp);

#endif
