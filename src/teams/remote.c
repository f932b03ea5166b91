/*
 * remote.c: live events from the store's notifications, which arrive on one thread in commit
 * order (store_listen): PostgreSQL's LISTEN connection, carrying what every process on the
 * database stored, this one included; or, on SQLite, the writer's own feed. Publishing only
 * from here is what keeps message events in seq order on every node, whichever thread or
 * process stored them, so a client resuming with Last-Event-ID misses none and sees none twice.
 *
 * A notification only says "something was stored": the messages are read back from the bus's
 * watermark onwards (every seq above it that is visible has committed, and so has every lower
 * one: the writers commit seqs in order, see db.h seq_lock_sql), so a lost notification (the
 * LISTEN connection broke) only delays events until the next one. Updates of a message (a card
 * its service replaced, an edit, a reaction, a soft delete or its undo: "u" notifications) follow
 * the messages they change, each read back whole when its notification arrives. Membership changes
 * keep this node's subscribers' team sets current.
 */
#include "teams/teams.h"

#include "core/log.h"
#include "events/bus.h"
#include "store/store.h"
#include "store/messages.h"

#include <stdio.h>
#include <string.h>

#define FEED_PAGE 256

/* Publishes the messages stored above the watermark, in seq order. seen: a seq the caller
 * knows has committed (0: none), which may be passed over when nobody subscribes. */
static void catch_up(struct sb_ctx *ctx, int64_t seen)
{
    int64_t through = events_bus_through(ctx->bus);
    struct sb_message *ms = NULL;
    size_t n = 0;

    if (seen && seen <= through)
        return; /* already read back with an earlier notification's page */
    if (events_bus_subscribers(ctx->bus) == 0) {
        /* A subscriber arriving now replays what it missed from the store, this included. */
        events_bus_set_through(ctx->bus, seen);
        return;
    }
    do {
        if (store_message_since(ctx->store, NULL, through, FEED_PAGE, &ms, &n) != SB_OK) {
            /* Nothing is skipped: the next notification reads from the same watermark. */
            sb_log_warn("events: cannot read messages after %lld; live events are late",
                        (long long)through);
            return;
        }
        for (size_t i = 0; i < n; i++) {
            teams_message_event(ctx, &ms[i]);
            through = ms[i].seq;
        }
        store_message_free_array(ms, n);
        events_bus_set_through(ctx->bus, through);
    } while (n == FEED_PAGE);
}

/* A message changed on some node (card, edit, reaction, delete): published after the message
 * itself, as it reads now. */
static void card_update(struct sb_ctx *ctx, const char *message_id, const char *team_id)
{
    struct sb_message m;

    catch_up(ctx, 0);
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

    if (sscanf(payload, "%1s %39s", kind, node) != 2)
        return;
    if (kind[0] == 'm' && sscanf(payload, "%*s %*s %lld", &seq) == 1)
        catch_up(ctx, seq);
    else if (kind[0] == 'u' && sscanf(payload, "%*s %*s %39s %39s", a, b) == 2)
        card_update(ctx, a, b);
    else if (kind[0] == 'j' && strcmp(node, store_node_id(ctx->store)) != 0 &&
             sscanf(payload, "%*s %*s %39s %39s %d", a, b, &added) == 3)
        events_membership(ctx->bus, a, b, added != 0); /* ours was applied when it was made */
    else if (kind[0] == 'x' && sscanf(payload, "%*s %*s %39s", a) == 1)
        events_end_user(ctx->bus, a); /* a user's credentials ended: their streams end too */
}

sb_err teams_remote_start(struct sb_ctx *ctx)
{
    int64_t last = 0;
    sb_err err = store_message_last_seq(ctx->store, &last);

    /* Messages stored before this process started are replayed from the store, not published. */
    if (err)
        return err;
    events_bus_set_through(ctx->bus, last);
    return store_listen(ctx->store, on_notify, ctx);
}
