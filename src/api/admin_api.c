/*
 * admin_api.c: organisation policy, the group-level connector switch and the audit log, for
 * global administrators.
 */
#include "api/api.h"

#include "admin/admin.h"
#include "core/config.h"
#include "org/org.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AUDIT_PAGE 100

void api_org_get(struct api_call *c)
{
    json_t *o = NULL;
    sb_err err;

    err = admin_org_get(c->ctx, c->who, &o, &c->diag);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, o);
}

void api_org_patch(struct api_call *c)
{
    json_t *body, *o = NULL;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = admin_org_patch(c->ctx, c->who, body, &o, &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_json(c, 200, o);
}

void api_admin_team_patch(struct api_call *c)
{
    json_t *body, *v;
    sb_err err = SB_OK;
    int enabled;

    body = api_body_object(c);
    if (!body)
        return;
    v = json_object_get(body, "connectorsEnabled");
    if (!v || (!json_is_boolean(v) && !json_is_null(v)))
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                      "connectorsEnabled must be true, false or null");
    enabled = json_is_null(v) ? -1 : json_is_true(v);
    if (!err)
        err = admin_team_switch(c->ctx, c->who, api_param(c, 0), enabled, &c->diag);
    json_decref(body);
    if (err)
        api_fail(c, err);
    else
        api_no_content(c);
}

/* Appends the filter's query parameters to a nextLink so the next page keeps them. */
static void link_param(char *link, size_t cap, const char *name, const char *value)
{
    size_t len = strlen(link);
    static const char hex[] = "0123456789ABCDEF";

    if (!value || !*value || len + 2 + strlen(name) >= cap)
        return;
    len += (size_t)snprintf(link + len, cap - len, "&%s=", name);
    for (const unsigned char *p = (const unsigned char *)value; *p && len + 4 < cap; p++) {
        if (isalnum(*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            link[len++] = (char)*p;
        } else {
            link[len++] = '%';
            link[len++] = hex[*p >> 4];
            link[len++] = hex[*p & 15];
        }
    }
    link[len] = '\0';
}

void api_admin_audit(struct api_call *c)
{
    const char *skip = http_query(c->req, "$skiptoken");
    struct sb_audit_filter filter = {
        http_query(c->req, "action"),
        http_query(c->req, "actor"),
        http_query(c->req, "since"),
        http_query(c->req, "until"),
    };
    struct sb_audit *list = NULL;
    long long before = 0;
    size_t n = 0;
    json_t *value, *page;
    char *end;
    sb_err err;

    if (skip) {
        errno = 0;
        before = strtoll(skip, &end, 10);
        if (errno || *end || before < 1) {
            api_failf(c, SB_ERR_INVALID, "invalidRequest", "$skiptoken is not valid");
            return;
        }
    }
    err = admin_audit_page(c->ctx, c->who, before, &filter, AUDIT_PAGE + 1, &list, &n, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n && i < AUDIT_PAGE; i++) {
        json_t *b = list[i].before ? json_loads(list[i].before, JSON_DECODE_ANY, NULL) : NULL;
        json_t *a = list[i].after ? json_loads(list[i].after, JSON_DECODE_ANY, NULL) : NULL;
        char id[24];

        snprintf(id, sizeof(id), "%lld", (long long)list[i].seq);
        json_array_append_new(
            value, json_pack("{s:s,s:s,s:{s:s?,s:s},s:s,s:s,s:s?,s:o?,s:o?}", "id", id, "dateTime",
                             list[i].at, "actor", "id",
                             list[i].actor_id[0] ? list[i].actor_id : NULL, "displayName",
                             list[i].actor_name, "action", list[i].action, "target", list[i].target,
                             "targetName", list[i].target_name[0] ? list[i].target_name : NULL,
                             "before", b, "after", a));
    }
    page = json_pack("{s:o}", "value", value);
    if (page && n > AUDIT_PAGE) {
        char link[1024];
        snprintf(link, sizeof(link), "%s/api/v1/admin/audit?$skiptoken=%lld",
                 c->ctx->cfg->public_url, (long long)list[AUDIT_PAGE - 1].seq);
        link_param(link, sizeof(link), "action", filter.action);
        link_param(link, sizeof(link), "actor", filter.actor);
        link_param(link, sizeof(link), "since", filter.since);
        link_param(link, sizeof(link), "until", filter.until);
        json_object_set_new(page, "@odata.nextLink", json_string(link));
    }
    org_audit_free_array(list, n);
    api_json(c, 200, page);
}

/* GET /api/v1/admin/teams: every team with its owners' count, members and configurations. */
void api_admin_teams(struct api_call *c)
{
    struct sb_team_overview *list = NULL;
    struct sb_team_owner *owners = NULL;
    json_t *value, *page = NULL;
    size_t n = 0, nowners = 0;
    sb_err err;

    err = admin_teams(c->ctx, c->who, &list, &n, &owners, &nowners, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    value = json_array();
    for (size_t i = 0; value && i < n; i++) {
        const struct sb_team_overview *o = &list[i];
        json_t *sw =
            o->team.connectors_enabled < 0 ? json_null() : json_boolean(o->team.connectors_enabled);
        json_t *own = json_array();

        /* Owners come sorted by team id: a linear scan per team is enough for ADMIN_TEAMS_MAX. */
        for (size_t j = 0; own && j < nowners; j++)
            if (strcmp(owners[j].team_id, o->team.id) == 0)
                json_array_append_new(own, json_pack("{s:s,s:s}", "id", owners[j].user_id,
                                                     "displayName", owners[j].display_name));
        json_array_append_new(
            value, json_pack("{s:s,s:s,s:s,s:s,s:o,s:I,s:I,s:o?,s:I,s:I}", "id", o->team.id,
                             "displayName", o->team.display_name, "description",
                             o->team.description, "createdDateTime", o->team.created,
                             "connectorsEnabled", sw, "memberCount", (json_int_t)o->members,
                             "ownerCount", (json_int_t)o->owners, "owners", own, "connectorCount",
                             (json_int_t)o->connectors, "webhookCount", (json_int_t)o->webhooks));
    }
    free(list);
    free(owners);
    if (value)
        page = json_pack("{s:o}", "value", value);
    if (!page) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, page);
}

/* GET /api/v1/admin/impact: what the organisation switches reach now, so that the admin page
 * can say it before the change ("17 webhooks in 5 teams will stop accepting posts"). */
void api_admin_impact(struct api_call *c)
{
    struct sb_impact im;
    json_t *o;
    sb_err err;

    err = admin_impact(c->ctx, c->who, &im, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    o = json_pack("{s:{s:I,s:I},s:{s:I,s:I},s:{s:I,s:I}}", "connectors", "count",
                  (json_int_t)im.connectors.count, "teams", (json_int_t)im.connectors.teams,
                  "webhooks", "count", (json_int_t)im.webhooks.count, "teams",
                  (json_int_t)im.webhooks.teams, "unsignedOnlyWebhooks", "count",
                  (json_int_t)im.unsigned_only.count, "teams", (json_int_t)im.unsigned_only.teams);
    if (!o) {
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, o);
}
