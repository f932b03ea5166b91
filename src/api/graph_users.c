/*
 * graph_users.c: /v1.0/me and /v1.0/users (list with $search and $top, get, create, PATCH,
 * DELETE). Administrators see accountEnabled, roles and userType besides what members see.
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

/* What administrators see besides: whether the account is on, and its organisation role
 * (Graph keeps roles in directoryRoles; one list here is what the admin page needs). */
static json_t *render(const struct sb_user *u, bool full)
{
    json_t *o = api_render_user(u);
    const char *role = u->is_admin ? "globalAdministrator" : u->is_guest ? "guest" : "member";

    if (o && full &&
        json_object_update_new(o, json_pack("{s:b,s:[s],s:s,s:s}", "accountEnabled", u->enabled,
                                            "roles", role, "userType",
                                            u->is_guest ? "Guest" : "Member", "createdDateTime",
                                            u->created)) != 0) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static bool named(const char *p, const char *end, const char *name)
{
    return (size_t)(end - p) == strlen(name) && strncmp(p, name, (size_t)(end - p)) == 0;
}

/* $search="text" or $search="displayName:text" (Graph's forms; the property is not needed:
 * display name and UPN are both searched). */
static void search_text(const char *raw, char *out, size_t cap)
{
    const char *p = raw, *colon;
    size_t len;

    out[0] = '\0';
    if (!raw)
        return;
    len = strlen(p);
    if (len >= 2 && p[0] == '"' && p[len - 1] == '"') {
        p++;
        len -= 2;
    }
    colon = memchr(p, ':', len);
    if (colon && (named(p, colon, "displayName") || named(p, colon, "userPrincipalName") ||
                  named(p, colon, "mail"))) {
        len -= (size_t)(colon + 1 - p);
        p = colon + 1;
    }
    snprintf(out, cap, "%.*s", (int)(len < cap ? len : cap - 1), p);
}

void api_user_list(struct api_call *c)
{
    struct sb_user *users = NULL;
    size_t n = 0;
    char search[2 * SB_NAME_MAX];
    const char *raw = http_query(c->req, "$search");
    long long top;
    bool full;
    json_t *value;
    sb_err err;

    if (!api_query_int(c, "$top", 1, 999, 999, &top))
        return;
    if (raw && strlen(raw) >= sizeof(search)) {
        api_failf(c, SB_ERR_INVALID, "BadRequest", "$search is too long");
        return;
    }
    search_text(raw, search, sizeof(search));
    err = auth_user_find(c->ctx, c->who, search, top, &users, &n, &full, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, render(&users[i], full));
    free(users);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_user_get(struct api_call *c)
{
    struct sb_user u;
    bool full;
    sb_err err = auth_user_get(c->ctx, c->who, api_param(c, 0), &u, &full, &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, render(&u, full));
}

/* A boolean member of the body as -1 (absent), 0 or 1. */
static sb_err tristate(json_t *body, const char *key, int *out, struct sb_diag *diag)
{
    bool v = false, present = false;
    sb_err err = sb_json_bool(body, key, &v, &present, diag);

    *out = present ? v : -1;
    return err;
}

/* The organisation role, as render() shows it: roles:["globalAdministrator"|"member"|"guest"]. */
static sb_err roles_of(json_t *body, struct auth_user_patch *p, struct sb_diag *diag)
{
    json_t *roles = json_object_get(body, "roles");
    const char *r;

    if (!roles || json_is_null(roles))
        return SB_OK;
    if (!json_is_array(roles) || json_array_size(roles) != 1 ||
        !(r = json_string_value(json_array_get(roles, 0))) ||
        (strcmp(r, "globalAdministrator") != 0 && strcmp(r, "member") != 0 &&
         strcmp(r, "guest") != 0))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "roles must be one of [\"globalAdministrator\"], [\"member\"], "
                       "[\"guest\"]");
    p->is_admin = strcmp(r, "globalAdministrator") == 0;
    p->is_guest = strcmp(r, "guest") == 0;
    return SB_OK;
}

void api_user_patch(struct api_call *c)
{
    struct auth_user_patch p = {NULL, -1, -1, -1, NULL, false};
    json_t *body = api_body_object(c), *profile = NULL;
    int force = -1;
    sb_err err;

    if (!body)
        return;
    err = sb_json_string(body, "displayName", false, SB_NAME_MAX, &p.display_name, &c->diag);
    if (!err)
        err = tristate(body, "accountEnabled", &p.enabled, &c->diag);
    if (!err)
        err = roles_of(body, &p, &c->diag);
    if (!err)
        err = sb_json_object(body, "passwordProfile", false, &profile, &c->diag);
    if (!err && profile)
        err = sb_json_string(profile, "password", true, 1024, &p.password, &c->diag);
    if (!err && profile)
        err = tristate(profile, "forceChangePasswordNextSignIn", &force, &c->diag);
    /* Graph's default for a password an administrator sets: change it at next sign-in. */
    p.force_change = force != 0;
    if (!err)
        err = auth_user_update(c->ctx, c->who, api_param(c, 0), &p, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
    json_decref(body);
}

void api_user_delete(struct api_call *c)
{
    sb_err err = auth_user_remove(c->ctx, c->who, api_param(c, 0), &c->diag);

    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}
