/*
 * model/users.h: people who sign in, and their credentials (API tokens, web sessions) as stored:
 * hashes, never secrets.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/users.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_USERS_H
#define SB_MODEL_USERS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A person who signs in (the password hash is read apart, never in this record). */
struct sb_user {
    sb_id id;
    char upn[SB_NAME_MAX + 1];
    char display_name[SB_NAME_MAX + 1];
    bool is_admin;
    sb_time created;
    bool enabled;     /* accountEnabled: a disabled account cannot sign in or use credentials */
    bool is_guest;    /* an organisation guest (the directory is closed to guests) */
    bool must_change; /* forceChangePasswordNextSignIn: only the password change is allowed */
};

/* What a token is: an API token, a web session, or the bootstrap token. */
enum sb_token_kind { SB_TOKEN_API = 1, SB_TOKEN_SESSION = 2, SB_TOKEN_BOOTSTRAP = 3 };

/* A stored credential: the SHA-256 of its secret, never the secret. */
struct sb_token {
    sb_id id;
    sb_id user_id;
    int kind;
    unsigned char hash[32];
    int64_t expires_ms; /* 0 = never */
    char csrf[65];      /* sessions only: the token state-changing requests must echo */
    sb_time created;
    int64_t last_used_ms; /* 0 = never; written at most once a minute (AUTH_TOUCH_MS) */
};

/* A change to a user by an administrator or by the user (store_user_update): fields left NULL
 * or -1 stay as they are. */
struct sb_user_change {
    const char *display_name;
    int enabled, is_admin, is_guest, must_change;
    const char *password_hash;
    /* Which credentials end with the change: none, all of the user's, or all but keep_id
     * (the bootstrap token stays then: it comes from the installation's configuration). */
    enum { SB_CREDS_KEEP = 0, SB_CREDS_END_ALL, SB_CREDS_END_OTHERS } end_credentials;
    const char *keep_id;
};

#endif
