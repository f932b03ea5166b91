/*
 * graph_members.c: /v1.0/teams/{id}/members (aadUserConversationMember).
 */
#include "api/api.h"

#include "core/ids.h"
#include "core/json.h"
#include "teams/teams.h"

#include <stdlib.h>
#include <string.h>

/* Extracts the id from "…/users('{id}')" or "…/users/{id}" (what Graph clients send). */
static bool bound_user_id(const char *bind, sb_id out)
{
    const char *p = strstr(bind, "users('");
    size_t len;

    if (p) {
        p += 7;
        len = strcspn(p, "'");
        if (strcmp(p + len, "')") != 0)
            return false;
    } else if ((p = strstr(bind, "users/"))) {
        p += 6;
        len = strlen(p);
    } else {
        return false;
    }
    if (len != SB_ID_LEN)
        return false;
    memcpy(out, p, SB_ID_LEN);
    out[SB_ID_LEN] = '\0';
    return sb_id_valid(out);
}

/* Maps Graph roles (["owner"], ["guest"], []) to a store role; 0 on an unknown role. */
static int parse_roles(json_t *roles)
{
    size_t i;
    json_t *r;
    int role = SB_ROLE_MEMBER;

    json_array_foreach(roles, i, r)
    {
        const char *s = json_string_value(r);
        if (!s)
            return 0;
        if (strcmp(s, "owner") == 0)
            role = SB_ROLE_OWNER;
        else if (strcmp(s, "guest") == 0 && role != SB_ROLE_OWNER)
            role = SB_ROLE_GUEST;
        else if (strcmp(s, "member") != 0 && strcmp(s, "guest") != 0)
            return 0;
    }
    return role;
}

void api_member_list(struct api_call *c)
{
    struct sb_member *ms = NULL;
    size_t n = 0;
    json_t *value;
    sb_err err;

    err = teams_member_list(c->ctx, c->who, api_param(c, 0), &ms, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++)
        json_array_append_new(value, api_render_member(&ms[i]));
    free(ms);
    api_json(c, 200, json_pack("{s:o}", "value", value));
}

void api_member_get(struct api_call *c)
{
    struct sb_member m;
    sb_err err;

    err = teams_member_get(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &m, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, api_render_member(&m));
}

void api_member_add(struct api_call *c)
{
    struct sb_member m;
    const char *bind;
    json_t *body, *roles;
    sb_id user_id;
    int role = SB_ROLE_MEMBER;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "user@odata.bind", true, 512, &bind, &c->diag);
    if (err)
        goto out;
    if (!bound_user_id(bind, user_id)) {
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                      "user@odata.bind must end in users('{user-id}')");
        goto out;
    }
    roles = json_object_get(body, "roles");
    if (roles && !json_is_null(roles)) {
        if (!json_is_array(roles) || !(role = parse_roles(roles))) {
            err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                          "roles must be an array of \"owner\", \"member\" or \"guest\"");
            goto out;
        }
    }
    err = teams_member_add(c->ctx, c->who, api_param(c, 0), user_id, role, &m, &c->diag);
out:
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 201, api_render_member(&m));
}

void api_member_remove(struct api_call *c)
{
    sb_err err;

    err = teams_member_remove(c->ctx, c->who, api_param(c, 0), api_param(c, 1), &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

/* PATCH .../members/{m} {roles:[...]}: an owner changes a member's role (Graph's update of a
 * conversationMember). */
void api_member_patch(struct api_call *c)
{
    struct sb_member m;
    json_t *body, *roles;
    int role = 0;
    sb_err err = SB_OK;

    body = api_body_object(c);
    if (!body)
        return;
    roles = json_object_get(body, "roles");
    if (!json_is_array(roles) || !(role = parse_roles(roles)))
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                      "roles must be an array of \"owner\", \"member\" or \"guest\"");
    if (!err)
        err = teams_member_set_role(c->ctx, c->who, api_param(c, 0), api_param(c, 1), role, &m,
                                    &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, api_render_member(&m));
}
