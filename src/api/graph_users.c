/*
 * graph_users.c: /v1.0/me and /v1.0/users.
 */
#include "api/api.h"

#include "core/json.h"

#include <stdlib.h>
#include <string.h>

void api_me(struct api_call *c)
{
    struct sb_user u;
    sb_err err;

    err = auth_me(c->ctx, c->who, &u, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, api_render_user(&u));
}

void api_user_create(struct api_call *c)
{
    struct auth_new_user nu = {0};
    struct sb_user u;
    json_t *body, *profile;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "displayName", true, SB_NAME_MAX, &nu.display_name, &c->diag);
    if (!err)
        err = sb_json_string(body, "userPrincipalName", true, SB_NAME_MAX, &nu.upn, &c->diag);
    if (!err)
        err = sb_json_object(body, "passwordProfile", true, &profile, &c->diag);
    if (!err)
        err = sb_json_string(profile, "password", true, 1024, &nu.password, &c->diag);
    if (err && strncmp(c->diag.message, "password ", 9) == 0) {
        char rule[sizeof(c->diag.message)];
        memcpy(rule, c->diag.message, sizeof(rule));
        sb_fail(&c->diag, err, "invalidRequest", "passwordProfile.%.300s", rule);
    }
    if (!err)
        err = auth_user_add(c->ctx, c->who, &nu, &u, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 201, api_render_user(&u));
    json_decref(body);
}

void api_user_list(struct api_call *c)
{
    struct sb_user *users = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err = auth_user_list(c->ctx, c->who, &users, &n, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, api_render_user(&users[i]));
    free(users);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_user_get(struct api_call *c)
{
    struct sb_user u;
    sb_err err = auth_user_get(c->ctx, c->who, api_param(c, 0), &u, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, api_render_user(&u));
}
