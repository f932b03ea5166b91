/*
 * store/users.h: users, API tokens and web sessions (users.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_USERS_H
#define SB_STORE_USERS_H

#include "core/sb.h"
#include "model/users.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/* SB_ERR_CONFLICT when the userPrincipalName (compared case-insensitively) is taken. */
sb_err store_user_insert(struct store *st, const struct sb_user *u, const char *password_hash);
sb_err store_user_get(struct store *st, const char *id, struct sb_user *out);
/* *password_hash (may be NULL to skip) is heap-allocated and may be NULL if none is set. */
sb_err store_user_by_upn(struct store *st, const char *upn, struct sb_user *out,
                         char **password_hash);
sb_err store_user_list(struct store *st, struct sb_user **out, size_t *n);
sb_err store_user_set_password(struct store *st, const char *id, const char *password_hash);
sb_err store_user_set_admin(struct store *st, const char *id, bool is_admin);

/* ---- credentials: API tokens and web sessions, stored as SHA-256 of the secret ---- */

sb_err store_token_insert(struct store *st, const struct sb_token *t);
sb_err store_token_by_hash(struct store *st, const unsigned char hash[32], struct sb_token *out);
sb_err store_token_delete(struct store *st, const char *id);
/* Removes every token of the given kind for user. */
sb_err store_token_delete_kind(struct store *st, const char *user_id, int kind);
/* Replaces every token of t's kind for t's user by t, in one transaction (the bootstrap token's
 * rotation): a refused insert (SB_ERR_CONFLICT) keeps the old ones. */
sb_err store_token_replace_kind(struct store *st, const struct sb_token *t);

#endif
