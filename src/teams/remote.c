/*
 * remote.c: what other server processes on the same database did, turned into live events
 * here. A message stored by another node is read back by its seq and published to this node's
 * subscribers (with the same id, so Last-Event-ID works on any node); membership changes keep
 * this node's subscribers' team sets current.
 */
#include "teams/teams.h"

#include "events/bus.h"

#include <stdio.h>
#include <string.h>

static void remote_message(struct sb_ctx *ctx, long long seq, const char *team_id)
{
    struct store_message *ms = NULL;
    size_t n = 0;

    if (!events_bus_wanted(ctx->bus, team_id))
        return; /* nobody here could see it: skip reading it back */
    if (store_message_since(ctx->store, NULL, seq - 1, 1, &ms, &n) != SB_OK)
        return;
    if (n == 1 && ms[0].seq == seq)
        teams_message_event(ctx, &ms[0]);
    store_message_free_array(ms, n);
}

/* A card another node replaced. */
static void remote_update(struct sb_ctx *ctx, const char *message_id, const char *team_id)
{
    struct store_message m;

    if (!events_bus_wanted(ctx->bus, team_id) ||
        store_message_get(ctx->store, message_id, &m) != SB_OK)
        return;
    teams_message_update_event(ctx, &m);
    store_message_free(&m);
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
    else if (kind[0] == 'u' && sscanf(payload, "%*s %*s %39s %39s", a, b) == 2)
        remote_update(ctx, a, b);
    else if (kind[0] == 'j' && sscanf(payload, "%*s %*s %39s %39s %d", a, b, &added) == 3)
        events_membership(ctx->bus, a, b, added != 0);
}

sb_err teams_remote_start(struct sb_ctx *ctx)
{
    return store_listen(ctx->store, on_notify, ctx);
}
