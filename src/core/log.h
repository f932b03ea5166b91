/*
 * log.h: one-line diagnostics to stderr. The server's only required stderr line is the
 * "listening on" line (printed with sb_log_raw); everything else is prefixed with a level.
 */
#ifndef SB_LOG_H
#define SB_LOG_H

void sb_log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void sb_log_raw(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
