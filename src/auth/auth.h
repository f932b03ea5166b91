/*
 * auth.h: who is calling. Users and their passwords (argon2id), API tokens and web sessions.
 *
 * Secrets (tokens, session ids) are 32 random bytes in base64url with a prefix; the store keeps
 * only their SHA-256. A presented secret is hashed, looked up, and the stored hash compared in
 * constant time. Sessions also carry a CSRF token that state-changing requests must echo in the
 * X-CSRF-Token header (the api layer checks it with auth_csrf_check).
 */
#ifndef SB_AUTH_H
#define SB_AUTH_H

#include "core/sb.h"
#include "model/users.h"

#include <stdbool.h>

#define AUTH_SECRET_LEN 46 /* "sb_" + 43 base64url characters */
#define AUTH_SESSION_TTL_MS (14LL * 24 * 3600 * 1000)

/* The authenticated caller, as every service and sb_can see it. */
struct sb_principal {
    sb_id user_id;
    char display_name[SB_NAME_MAX + 1];
    char upn[SB_NAME_MAX + 1];
    bool is_admin;
    bool via_session; /* authenticated by the web session cookie (needs CSRF checks) */
    sb_id credential_id;
    char csrf[65];
    bool is_app;    /* an app registration (client credentials); user_id is its client id */
    unsigned roles; /* an app's AUTH_ROLE_* bits */
};

#define AUTH_ROLE_EXTERNAL_CONNECTION 1u /* ExternalConnection.ReadWrite.OwnedBy */
#define AUTH_ROLE_EXTERNAL_ITEM 2u       /* ExternalItem.ReadWrite.OwnedBy */

struct auth_new_user {
    const char *display_name;
    const char *upn;
    const char *password;
    bool is_admin;
};

/* Validates and creates a user. SB_ERR_CONFLICT when the UPN is taken. */
sb_err auth_user_create(struct sb_ctx *ctx, const struct auth_new_user *in, struct sb_user *out,
                        struct sb_diag *diag);

/* The directory as handlers read it (directory.c); each asks sb_can (SIGNED_IN for the
 * caller's own record, USER_READ for the others) and fills diag. The list is a heap array. */
sb_err auth_me(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_user *out,
               struct sb_diag *diag);
sb_err auth_user_list(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_user **out,
                      size_t *n, struct sb_diag *diag);
sb_err auth_user_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                     struct sb_user *out, struct sb_diag *diag);
/* auth_user_create by who (SB_ACT_USER_CREATE: administrators). */
sb_err auth_user_add(struct sb_ctx *ctx, const struct sb_principal *who,
                     const struct auth_new_user *in, struct sb_user *out, struct sb_diag *diag);

/* Checks a password; SB_ERR_UNAUTHORIZED for an unknown user or a wrong password (the same
 * message and roughly the same time either way). Argon2id (64 MiB): call it from the hashing
 * pool (pool.h), not from an HTTP thread. */
sb_err auth_login(struct sb_ctx *ctx, const char *upn, const char *password, struct sb_user *out,
                  struct sb_diag *diag);

/* Issues a new API token for the user; secret receives the token text (AUTH_SECRET_LEN + 1). */
sb_err auth_token_issue(struct sb_ctx *ctx, const char *user_id, char *secret);

/* Starts a web session; secret receives the cookie value, csrf the CSRF token (65 bytes). */
sb_err auth_session_start(struct sb_ctx *ctx, const char *user_id, char *secret, char *csrf);

/* Resolves a bearer token or a session cookie value into a principal. SB_ERR_UNAUTHORIZED
 * when unknown, expired, or of the wrong kind. */
sb_err auth_authenticate(struct sb_ctx *ctx, const char *secret, bool is_session,
                         struct sb_principal *out);

/* Ends the session or revokes the token the principal authenticated with (a person's: an
 * app's token is refused). */
sb_err auth_logout(struct sb_ctx *ctx, const struct sb_principal *who, struct sb_diag *diag);

/* Constant-time comparison of the presented CSRF token with the session's. */
bool auth_csrf_check(const struct sb_principal *who, const char *presented);

/* Makes sure a global administrator "admin" exists and that `token` authenticates as it
 * (SWITCHBOARD_ADMIN_TOKEN). Replaces any earlier bootstrap token. */
sb_err auth_bootstrap_token(struct sb_ctx *ctx, const char *token, struct sb_diag *diag);

/* On an empty user table, creates "admin" with a random password written to password
 * (at least 25 bytes) and sets *created. */
sb_err auth_bootstrap_first_admin(struct sb_ctx *ctx, char *password, size_t cap, bool *created,
                                  struct sb_diag *diag);

#endif
