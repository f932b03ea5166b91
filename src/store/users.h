/*
 * store/users.h: users, API tokens and web sessions (users.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_USERS_H
#define SB_STORE_USERS_H

#include "core/sb.h"
#include "model/audit.h"
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
/* Users (not deleted) whose display name or UPN contains search (any case; NULL or "": all),
 * by display name, at most top of them (top > 0). */
sb_err store_user_search(struct store *st, const char *search, int64_t top, struct sb_user **out,
                         size_t *n);
sb_err store_user_set_password(struct store *st, const char *id, const char *password_hash);
sb_err store_user_set_admin(struct store *st, const char *id, bool is_admin);
/* Applies ch to user id in one transaction with its audit entry (audit may be NULL), ending
 * the credentials ch names. SB_ERR_NOT_FOUND for an unknown or deleted user. */
sb_err store_user_update(struct store *st, const char *id, const struct sb_user_change *ch,
                         const struct sb_audit *audit);
/* Deletes user id as a former member (the row stays, see 016_people.sql), ends every
 * credential, with its audit entry; SB_ERR_NOT_FOUND for an unknown or deleted user. */
sb_err store_user_delete(struct store *st, const char *id, const char *at,
                         const struct sb_audit *audit);
/* The user's team memberships: how many, and the highest role (0 when none). */
sb_err store_user_team_roles(struct store *st, const char *id, int64_t *count, int *highest);

/* ---- credentials: API tokens and web sessions, stored as SHA-256 of the secret ---- */

sb_err store_token_insert(struct store *st, const struct sb_token *t);
sb_err store_token_by_hash(struct store *st, const unsigned char hash[32], struct sb_token *out);
sb_err store_token_delete(struct store *st, const char *id);
/* The user's unexpired credentials of kind (now_ms decides what expired), oldest first; the
 * records carry no hash. */
sb_err store_token_list(struct store *st, const char *user_id, int kind, int64_t now_ms,
                        struct sb_token **out, size_t *n);
/* Deletes credential id if it is user_id's and of kind; SB_ERR_NOT_FOUND otherwise. */
sb_err store_token_delete_owned(struct store *st, const char *id, const char *user_id, int kind);
/* Records a use of credential id (lastUsedDateTime): queued, returns at once (the request that
 * used it does not wait for a commit). */
sb_err store_token_touch(struct store *st, const char *id, int64_t now_ms);
/* Removes every token of the given kind for user. */
sb_err store_token_delete_kind(struct store *st, const char *user_id, int kind);
/* Replaces every token of t's kind for t's user by t, in one transaction (the bootstrap token's
 * rotation): a refused insert (SB_ERR_CONFLICT) keeps the old ones. */
sb_err store_token_replace_kind(struct store *st, const struct sb_token *t);

#endif
