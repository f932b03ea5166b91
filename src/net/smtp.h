/*
 * smtp.h: sending one e-mail through the SMTP server the administrator named (--smtp-url),
 * with libcurl. Blocking: call it from the outbox worker, never from an HTTP handler.
 *
 * The server is configuration, not input: no outbound policy applies to it (the recipients
 * are input and are checked by the caller). smtps:// or STARTTLS when the URL asks for it
 * (smtp:// tries STARTTLS only when offered: CURLUSESSL_TRY).
 */
#ifndef SB_NET_SMTP_H
#define SB_NET_SMTP_H

#include "core/sb.h"

#include <stddef.h>

/* Sends message (a whole RFC 5322 message, CRLF line ends) from from to to[0..nto).
 * SB_ERR_UNAVAILABLE "smtpFailed" with the server's or libcurl's reason when it failed, and
 * *smtp_code (may be NULL) set to the last SMTP reply code (0 when none): 5xx are permanent. */
sb_err smtp_send(const char *url, const char *from, const char *const *to, size_t nto,
                 const char *message, long timeout_ms, long *smtp_code, struct sb_diag *diag);

#endif
