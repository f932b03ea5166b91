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
#define AUTH_TOKEN_TTL_S (90LL * 24 * 3600)          /* API tokens: expiresIn by default */
#define AUTH_TOKEN_TTL_MAX_S (2LL * 365 * 24 * 3600) /* the longest expiresIn accepted */
#define AUTH_TOUCH_MS 60000LL /* lastUsedDateTime is written at most this often */
#define AUTH_PASSWORD_MIN 12  /* characters (code points) */
#define AUTH_PASSWORD_MAX 256

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
    bool is_guest;  /* an organisation guest (sb_can also closes the directory to people whose
                       every team membership is a guest's) */
    bool must_change_password; /* signed in with a password to change: dispatch.c lets only the
                                  session routes and changePassword through (403 otherwise) */
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
/* *full: the caller is an administrator (sees accountEnabled and roles). */
sb_err auth_user_get(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                     struct sb_user *out, bool *full, struct sb_diag *diag);
/* auth_user_create by who (SB_ACT_USER_CREATE: administrators). */
sb_err auth_user_add(struct sb_ctx *ctx, const struct sb_principal *who,
                     const struct auth_new_user *in, struct sb_user *out, struct sb_diag *diag);

/* Checks a password; SB_ERR_UNAUTHORIZED for an unknown user or a wrong password (the same
 * message and roughly the same time either way). Argon2id (64 MiB): call it from the hashing
 * pool (pool.h), not from an HTTP thread. */
sb_err auth_login(struct sb_ctx *ctx, const char *upn, const char *password, struct sb_user *out,
                  struct sb_diag *diag);

/* Issues a new API token for the user, valid for ttl_s seconds (0: AUTH_TOKEN_TTL_S); secret
 * receives the token text (AUTH_SECRET_LEN + 1). */
sb_err auth_token_issue(struct sb_ctx *ctx, const char *user_id, int64_t ttl_s, char *secret);

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

/* ---- people (people.c): the directory, administrators' changes, passwords, credentials ---- */

/* The password policy (password.c): AUTH_PASSWORD_MIN to AUTH_PASSWORD_MAX characters, not one
 * of the common passwords of the embedded list (any case), not the user's UPN or its part
 * before '@', not one character repeated. field names the field in the message. */
sb_err auth_password_check(const char *password, const char *upn, const char *field,
                           struct sb_diag *diag);

/* GET /v1.0/users: search (a substring of display name or UPN; NULL: everyone), at most top
 * (<= 0: 999). *full: the caller is an administrator (sees accountEnabled and roles). Guests
 * are refused (SB_ERR_FORBIDDEN). */
sb_err auth_user_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *search,
                      int64_t top, struct sb_user **out, size_t *n, bool *full,
                      struct sb_diag *diag);

/* PATCH /v1.0/users/{id} by an administrator: the fields of in that are set (see
 * sb_user_change); a password (checked against the policy) is hashed here. Disabling ends the
 * user's credentials at once; a new password ends them too. An administrator cannot disable
 * or demote themself (SB_ERR_INVALID: there would be nobody left to undo it). */
struct auth_user_patch {
    const char *display_name;
    int enabled, is_admin, is_guest; /* -1: unchanged */
    const char *password;
    bool force_change;
};
sb_err auth_user_update(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                        const struct auth_user_patch *in, struct sb_diag *diag);
/* DELETE /v1.0/users/{id}: a former member (messages and connectors stay), credentials end. */
sb_err auth_user_remove(struct sb_ctx *ctx, const struct sb_principal *who, const char *user_id,
                        struct sb_diag *diag);

/* POST /v1.0/me/changePassword: checks current (SB_ERR_FORBIDDEN when wrong) and the policy,
 * stores the new one, clears a forced change and ends the caller's other sessions and tokens
 * (the calling one stays). Argon2id twice: call it from the hashing pool. */
sb_err auth_password_change(struct sb_ctx *ctx, const struct sb_principal *who, const char *current,
                            const char *password, struct sb_diag *diag);

/* `switchboard admin reset-password <upn>`: a one-time password (written to password, at least
 * 25 bytes) that must be changed at next sign-in; ends the user's sessions and API tokens
 * (not the bootstrap token). */
sb_err auth_password_reset(struct sb_ctx *ctx, const char *upn, char *password, size_t cap,
                           struct sb_diag *diag);

/* The caller's API tokens (kind SB_TOKEN_API) or web sessions (SB_TOKEN_SESSION), unexpired,
 * oldest first (a heap array; no hashes). */
sb_err auth_credential_list(struct sb_ctx *ctx, const struct sb_principal *who, int kind,
                            struct sb_token **out, size_t *n, struct sb_diag *diag);
/* Ends one of the caller's credentials of kind (SB_ERR_NOT_FOUND when not theirs). */
sb_err auth_credential_revoke(struct sb_ctx *ctx, const struct sb_principal *who, int kind,
                              const char *id, struct sb_diag *diag);
/* "Sign out everywhere": ends every web session of the caller, the calling one included. */
sb_err auth_sessions_end_all(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_diag *diag);

#endif
