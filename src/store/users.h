/*
 * store/users.h: users, API tokens and web sessions (users.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_USERS_H
#define SB_STORE_USERS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

struct store_user {
    sb_id id;
    char upn[SB_NAME_MAX + 1];
    char display_name[SB_NAME_MAX + 1];
    bool is_admin;
    sb_time created;
};

/* SB_ERR_CONFLICT when the userPrincipalName (compared case-insensitively) is taken. */
sb_err store_user_insert(struct store *st, const struct store_user *u, const char *password_hash);
sb_err store_user_get(struct store *st, const char *id, struct store_user *out);
/* *password_hash (may be NULL to skip) is heap-allocated and may be NULL if none is set. */
sb_err store_user_by_upn(struct store *st, const char *upn, struct store_user *out,
                         char **password_hash);
sb_err store_user_list(struct store *st, struct store_user **out, size_t *n);
sb_err store_user_set_password(struct store *st, const char *id, const char *password_hash);
sb_err store_user_set_admin(struct store *st, const char *id, bool is_admin);

/* ---- credentials: API tokens and web sessions, stored as SHA-256 of the secret ---- */

enum store_token_kind { STORE_TOKEN_API = 1, STORE_TOKEN_SESSION = 2, STORE_TOKEN_BOOTSTRAP = 3 };

struct store_token {
    sb_id id;
    sb_id user_id;
    int kind;
    unsigned char hash[32];
    int64_t expires_ms; /* 0 = never */
    char csrf[65];      /* sessions only: the token state-changing requests must echo */
    sb_time created;
};

sb_err store_token_insert(struct store *st, const struct store_token *t);
sb_err store_token_by_hash(struct store *st, const unsigned char hash[32], struct store_token *out);
sb_err store_token_delete(struct store *st, const char *id);
/* Removes every token of the given kind for user. */
sb_err store_token_delete_kind(struct store *st, const char *user_id, int kind);
/* Replaces every token of t's kind for t's user by t, in one transaction (the bootstrap token's
 * rotation): a refused insert (SB_ERR_CONFLICT) keeps the old ones. */
sb_err store_token_replace_kind(struct store *st, const struct store_token *t);

#endif
