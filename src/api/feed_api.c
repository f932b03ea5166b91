/*
 * feed_api.c: a group's feed (contract addition): GET /api/v1/teams/{team-id}/feed lists the
 * team's connector posts from configurations made in the groups client (appType "groups"), the
 * way a group mailbox shows them: newest first, grouped by UTC date.
 *   {value: [{date: "2026-11-25", messages: [chatMessage...]}], @odata.nextLink?}
 * $top (1..100, default 50) counts messages; $skiptoken continues after the last one.
 */
#include "api/api.h"

#include "core/config.h"
#include "teams/teams.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_DEFAULT 50
#define FEED_MAX 100

static bool arg(struct api_call *c, const char *name, long long max, long long def, long long *out)
{
    const char *v = http_query(c->req, name);
    char *end;

    *out = def;
    if (!v)
        return true;
    errno = 0;
    *out = strtoll(v, &end, 10);
    if (errno || !*v || *end || *out < 1 || *out > max) {
        api_failf(c, SB_ERR_INVALID, "invalidRequest", "%s must be a whole number from 1 to %lld",
                  name, max);
        return false;
    }
    return true;
}

void api_team_feed(struct api_call *c)
{
    const char *team = api_param(c, 0);
    struct sb_message *ms = NULL;
    size_t n = 0;
    long long top, before;
    int allowed = -1;
    json_t *days = NULL, *day = NULL, *page = NULL;
    sb_err err;

    if (!arg(c, "$top", FEED_MAX, FEED_DEFAULT, &top) ||
        !arg(c, "$skiptoken", INT64_MAX, 0, &before))
        return;
    err = teams_message_feed(c->ctx, c->who, team, "groups", before, (size_t)top + 1, &ms, &n,
                             &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    days = json_array();
    for (size_t i = 0; days && i < n && i < (size_t)top; i++) {
        const char *date = json_string_value(json_object_get(day, "date"));
        if (!day || !date || strncmp(date, ms[i].created, 10) != 0) {
            char d[11];
            snprintf(d, sizeof(d), "%.10s", ms[i].created);
            day = json_pack("{s:s,s:[]}", "date", d, "messages");
            if (!day || json_array_append_new(days, day) != 0) {
                err = SB_ERR_NOMEM;
                break;
            }
        }
        json_array_append_new(json_object_get(day, "messages"),
                              teams_message_render(c->ctx, &ms[i], &allowed));
    }
    if (!err && days)
        page = json_pack("{s:O}", "value", days);
    if (page && n > (size_t)top) {
        char link[1024];
        snprintf(link, sizeof(link), "%s/api/v1/teams/%s/feed?$top=%lld&$skiptoken=%lld",
                 c->ctx->cfg->public_url, team, top, (long long)ms[top - 1].seq);
        json_object_set_new(page, "@odata.nextLink", json_string(link));
    }
    json_decref(days);
    teams_message_free_array(ms, n);
    if (!page) {
        api_fail(c, err ? err : SB_ERR_NOMEM);
        return;
    }
    api_json(c, 200, page);
}
