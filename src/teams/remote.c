/*
 * remote.c: what other server processes on the same database did, turned into live events
 * here. A message stored by another node is read back by its seq and published to this node's
 * subscribers (with the same id, so Last-Event-ID works on any node); membership changes keep
 * this node's subscribers' team sets current.
 */
#include "teams/teams.h"

#include "core/json.h"
#include "events/bus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void remote_message(struct sb_ctx *ctx, long long seq, const char *team_id)
{
    struct store_message *ms = NULL;
    size_t n = 0;

    if (!events_bus_wanted(ctx->bus, team_id))
        return;
    if (store_message_since(ctx->store, NULL, seq - 1, 1, &ms, &n) != SB_OK)
        return;
    if (n == 1 && ms[0].seq == seq) {
        json_t *j = teams_message_json(&ms[0]);
        char *text = NULL;

        if (j && sb_json_dump(j, &text) == SB_OK)
            events_publish(ctx->bus, ms[0].seq, "message", ms[0].team_id, text);
        free(text);
        json_decref(j);
    }
    store_message_free_array(ms, n);
}

static void on_notify(void *arg, const char *payload)
{
    struct sb_ctx *ctx = arg;
    char kind[2], node[40], a[40], b[40];
    long long seq;
    int added;

    if (sscanf(payload, "%1s %39s", kind, node) != 2 ||
        strcmp(node, store_node_id(ctx->store)) == 0)
        return; /* ours: already published when it was stored */
    if (kind[0] == 'm' && sscanf(payload, "%*s %*s %lld %39s", &seq, a) == 2)
        remote_message(ctx, seq, a);
    else if (kind[0] == 'j' && sscanf(payload, "%*s %*s %39s %39s %d", a, b, &added) == 3)
        events_membership(ctx->bus, a, b, added != 0);
}

sb_err teams_remote_start(struct sb_ctx *ctx)
{
    return store_listen(ctx->store, on_notify, ctx);
}
