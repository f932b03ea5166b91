/*
 * throttle.h: sign-in throttling (contract §6). After AUTH_THROTTLE_ACCOUNT failed sign-ins
 * for one account, or AUTH_THROTTLE_ADDRESS from one client address, within
 * AUTH_THROTTLE_WINDOW_MS, further attempts are refused (429 with Retry-After) before any
 * password hashing; a success for the account forgets its failures.
 *
 * The counts live in the store (signin_failures), so every server process on a PostgreSQL
 * database sees the same ones. A window opens with the first failure of a key and lasts
 * AUTH_THROTTLE_WINDOW_MS; Retry-After is the time until it closes. The check reads the counts
 * and a failure is counted after its check, so attempts checked at the same moment can each
 * pass: the overshoot is bounded by the attempts in flight (the hashing pool's queue).
 *
 * Accounts are keyed by the lower-cased userPrincipalName whether or not it exists (the answer
 * must not reveal which do); addresses by the connection's peer (an IPv6 client by its /64,
 * which one host usually holds whole). Behind a reverse proxy every client shares the proxy's
 * address.
 */
#ifndef SB_AUTH_THROTTLE_H
#define SB_AUTH_THROTTLE_H

#include "core/sb.h"

#define AUTH_THROTTLE_WINDOW_MS (15LL * 60 * 1000)
#define AUTH_THROTTLE_ACCOUNT 5
#define AUTH_THROTTLE_ADDRESS 20

struct auth_throttle_keys {
    char account[SB_NAME_MAX + 3]; /* "u:" + lower-case UPN */
    char address[64];              /* "a:" + address (+ "/64"), "" when unknown */
};

/* The keys of an attempt; address may be NULL (not known). */
void auth_throttle_keys(const char *upn, const char *address, struct auth_throttle_keys *out);
/* SB_ERR_THROTTLED (with *retry_after_s, at least 1) when either key is at its limit. */
sb_err auth_throttle_check(struct sb_ctx *ctx, const struct auth_throttle_keys *k,
                           int *retry_after_s);
/* Counts a failed attempt for both keys. */
sb_err auth_throttle_failed(struct sb_ctx *ctx, const struct auth_throttle_keys *k);
/* Forgets the account's failures (the address keeps its count). */
sb_err auth_throttle_succeeded(struct sb_ctx *ctx, const struct auth_throttle_keys *k);

#endif
