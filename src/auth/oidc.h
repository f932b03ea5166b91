/*
 * oidc.h: single sign-on with an OpenID provider (contract §6, docs/sso.md).
 *
 * The authorization code flow with PKCE (S256), state and nonce:
 * - oidc_start reads the provider's discovery document, records the request (the SHA-256 of a
 *   random state, a nonce and the PKCE verifier: store/oidc.h, 10 minutes, once) and returns
 *   the authorization URL and the state, which the handler also puts in a cookie so that the
 *   callback must come back to the browser that started (a callback URL sent to someone else
 *   signs nobody in);
 * - oidc_finish checks the callback's state against that cookie and takes the request (a
 *   replayed callback finds nothing), exchanges the code at the token endpoint with the
 *   verifier and the client secret, verifies the ID token (RS256 against the provider's JWKS:
 *   jwt_verify_jwks; iss = the issuer, aud = the client id, exp, nonce = the request's), finds
 *   the user whose userPrincipalName is the token's preferred_username or email (created only
 *   with --oidc-create-users) and starts a web session.
 * Every request to the provider goes through net/fetch.c with the organisation's policy: an
 * http issuer (or endpoint) only when its host is in outboundAllowedHosts.
 *
 * Both calls are blocking (outbound HTTP): run them off the HTTP threads (the handler defers its
 * connection to ctx->oidc_pool). Refusals fill diag with a code the sign-in page can name; no
 * code, token or secret is ever logged.
 */
#ifndef SB_AUTH_OIDC_H
#define SB_AUTH_OIDC_H

#include "core/sb.h"
#include "model/users.h"

#include <jansson.h>
#include <stdbool.h>

#define OIDC_STATE_LEN 43 /* base64url of 32 random bytes */
#define OIDC_LOGIN_TTL_MS (10LL * 60 * 1000)
#define OIDC_COOKIE "sb_oidc"
#define OIDC_CALLBACK_PATH "/api/v1/auth/oidc/callback"

/* Whether single sign-on is configured (--oidc-issuer). */
bool oidc_enabled(const struct sb_ctx *ctx);

/* What the sign-in page shows: {value:[{id:"oidc", label}], passwordSignIn: bool} (new
 * reference). Public: nothing in it is a secret. */
sb_err oidc_providers(struct sb_ctx *ctx, json_t **out);

/* Whether userPrincipalName upn may sign in with a password: always, unless
 * --disable-password-sign-in, which leaves it to the break-glass administrator
 * (--break-glass-admin, compared without case). */
bool oidc_password_allowed(const struct sb_ctx *ctx, const char *upn);

/* The checks of oidc_start that need no network (configured, an issuer the outbound policy
 * allows): SB_ERR_NOT_FOUND when SSO is off, SB_ERR_FORBIDDEN "outboundRefused". */
sb_err oidc_precheck(struct sb_ctx *ctx, struct sb_diag *diag);

/* Begins a sign-in: *location (heap) is the provider's authorization URL, state
 * (OIDC_STATE_LEN + 1) the value the browser must bring back. */
sb_err oidc_start(struct sb_ctx *ctx, char **location, char *state, struct sb_diag *diag);

struct oidc_callback {
    const char *code; /* the callback's query arguments (NULL when absent) */
    const char *state;
    const char *error;        /* the provider's refusal ("access_denied", ...) */
    const char *cookie_state; /* the state cookie of the browser, NULL when absent */
};

/* Completes a sign-in: on success *user is the person and secret/csrf (AUTH_SECRET_LEN + 1, 65
 * bytes) the new web session's. Refusals: SB_ERR_UNAUTHORIZED (state, code, token),
 * SB_ERR_FORBIDDEN (a person with no account and no --oidc-create-users), SB_ERR_UNAVAILABLE
 * (the provider cannot be reached). Nothing is created on a refusal. */
sb_err oidc_finish(struct sb_ctx *ctx, const struct oidc_callback *in, struct sb_user *user,
                   char *secret, char *csrf, struct sb_diag *diag);

#endif
