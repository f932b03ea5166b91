/*
 * graph_users.c: /v1.0/me and /v1.0/users (list with $search and $top, get, create, PATCH,
 * DELETE). Administrators see accountEnabled, roles and userType besides what members see.
 */
#include "api/api.h"

#include "auth/pool.h"
#include "core/json.h"

#include <sodium.h>
#include <stdio.h>
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

/* A creation, or a change that sets a password: argon2id (64 MiB) runs on the hashing pool, not
 * on this HTTP thread, as for sign-ins (auth_api.c): the handler defers the connection and
 * answers on the resumed call. The job owns copies of what it needs from the body. */
struct user_job {
    struct sb_ctx *ctx;
    struct http_request *req;
    struct sb_principal who;
    bool create;
    sb_id id;
    char display_name[SB_NAME_MAX + 1];
    char upn[SB_NAME_MAX + 1];
    char password[1025];
    struct auth_user_patch patch; /* its strings point into this job */
    bool queued;                  /* false: the pool refused or cancelled it (full, stopping) */
    sb_err err;
    struct sb_diag diag;
    struct sb_user user;
};

static void user_job_free(struct user_job *j)
{
    sodium_memzero(j->password, sizeof(j->password));
    free(j);
}

static void user_job_run(void *arg, bool cancelled)
{
    struct user_job *j = arg;
    struct auth_new_user nu = {j->display_name, j->upn, j->password, false};

    if (cancelled)
        j->queued = false;
    else if (j->create)
        j->err = auth_user_add(j->ctx, &j->who, &nu, &j->user, &j->diag);
    else
        j->err = auth_user_update(j->ctx, &j->who, j->id, &j->patch, &j->diag);
    sodium_memzero(j->password, sizeof(j->password));
    http_resume(j->req);
}

/* The resumed call of a deferred job: answers it and returns true. */
static bool user_job_finish(struct api_call *c)
{
    struct user_job *j = c->req->state;

    if (!c->req->resumed || !j)
        return false;
    c->req->state = NULL;
    if (!j->queued) {
        http_response_header(c->resp, "Retry-After", "1");
        api_failf(c, SB_ERR_UNAVAILABLE, "ServiceUnavailable",
                  "too many passwords are being hashed; try again in a moment");
    } else if (j->err) {
        c->diag = j->diag;
        api_fail(c, j->err);
    } else if (j->create) {
        api_json(c, 201, api_render_user(&j->user));
    } else {
        api_no_content(c);
    }
    user_job_free(j);
    return true;
}

static void user_job_submit(struct api_call *c, struct user_job *j)
{
    j->ctx = c->ctx;
    j->req = c->req;
    j->who = *c->who;
    c->req->state = j;
    http_defer(c->req);
    j->queued = true; /* before the job can run: a cancelled job clears it */
    if (auth_pool_submit(c->ctx->auth_pool, user_job_run, j) != SB_OK) {
        j->queued = false;
        http_resume(c->req); /* answered (503) on the resumed call */
    }
}

void api_user_create(struct api_call *c)
{
    const char *name = NULL, *upn = NULL, *password = NULL;
    struct user_job *j = NULL;
    json_t *body, *profile;
    sb_err err;

    if (user_job_finish(c))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "displayName", true, SB_NAME_MAX, &name, &c->diag);
    if (!err)
        err = sb_json_string(body, "userPrincipalName", true, SB_NAME_MAX, &upn, &c->diag);
    if (!err)
        err = sb_json_object(body, "passwordProfile", true, &profile, &c->diag);
    if (!err)
        err = sb_json_string(profile, "password", true, 1024, &password, &c->diag);
    if (err && strncmp(c->diag.message, "password ", 9) == 0) {
        char rule[sizeof(c->diag.message)];
        memcpy(rule, c->diag.message, sizeof(rule));
        sb_fail(&c->diag, err, "invalidRequest", "passwordProfile.%.300s", rule);
    }
    if (!err && (j = calloc(1, sizeof(*j))) != NULL) {
        j->create = true;
        snprintf(j->display_name, sizeof(j->display_name), "%s", name);
        snprintf(j->upn, sizeof(j->upn), "%s", upn);
        snprintf(j->password, sizeof(j->password), "%s", password);
    }
    json_decref(body);
    if (j)
        user_job_submit(c, j);
    else
        api_fail(c, err ? err : SB_ERR_NOMEM);
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
    struct user_job *j = NULL;
    json_t *body, *profile = NULL;
    int force = -1;
    sb_err err;

    if (user_job_finish(c))
        return;
    if (!(body = api_body_object(c)))
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
    if (!err && !p.password) {
        err = auth_user_update(c->ctx, c->who, api_param(c, 0), &p, &c->diag);
        if (!err)
            api_no_content(c);
    } else if (!err && strlen(api_param(c, 0)) >= sizeof(j->id)) {
        /* Not an id: copied into the job it would be cut to some other user's id. */
        err = sb_fail(&c->diag, SB_ERR_NOT_FOUND, "Request_ResourceNotFound",
                      "user '%.64s' not found", api_param(c, 0));
    } else if (!err && !(j = calloc(1, sizeof(*j)))) {
        err = SB_ERR_NOMEM;
    } else if (!err) {
        snprintf(j->id, sizeof(j->id), "%s", api_param(c, 0));
        snprintf(j->password, sizeof(j->password), "%s", p.password);
        if (p.display_name)
            snprintf(j->display_name, sizeof(j->display_name), "%s", p.display_name);
        j->patch = p;
        j->patch.display_name = p.display_name ? j->display_name : NULL;
        j->patch.password = j->password;
    }
    json_decref(body);
    if (err)
        api_fail(c, err);
    else if (j)
        user_job_submit(c, j);
}

void api_user_delete(struct api_call *c)
{
    sb_err err = auth_user_remove(c->ctx, c->who, api_param(c, 0), &c->diag);

    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}
