/*
 * log.h: one-line diagnostics to stderr. The server's only required stderr line is the
 * "listening on" line (printed with sb_log_raw); everything else is prefixed with a level.
 *
 * Every leveled line (info, warning, error) goes through sb_log_redact() first, so that no
 * call site can leak a credential by printing a path, URL, header or query: webhook URLs are
 * their own credentials, and so are signatures, tokens, codes and client secrets. sb_log_raw
 * prints as given (it carries the first-start administrator password, which is meant to be
 * read once from the log).
 */
#ifndef SB_LOG_H
#define SB_LOG_H

#include <stddef.h>

/* Levels for sb_log_set_level: lines above the level are not printed (raw lines always are). */
enum { SB_LOG_ERROR = 0, SB_LOG_WARN = 1, SB_LOG_INFO = 2 };
void sb_log_set_level(int level);

void sb_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies in to out (cap bytes, always NUL-terminated, cut when it does not fit) with secrets
 * replaced by "***":
 *   /webhookb2/..., /webhook/...          everything after the prefix (the URL is the secret)
 *   /connectors/{kind}/...                everything after the kind (not /api/v1/connectors/)
 *   sig, code, token, access_token, refresh_token, id_token, client_secret, client_assertion,
 *   password, key                         query or form values (name=VALUE) and JSON string
 *                                         values ("name":"VALUE")
 *   Bearer VALUE, Basic VALUE             credentials of an Authorization header
 *   scheme://user:PASSWORD@host           passwords in URLs (database URLs)
 * Returns the length written. */
size_t sb_log_redact(const char *in, char *out, size_t cap);

#endif
