/*
 * events_api.c: GET /api/v1/events, Server-Sent Events of new messages in the channels the
 * caller can read. Idle streams hold no thread: the connection is suspended; the bus writes
 * events straight to its socket (http_stream_write) and wakes it only when that cannot be
 * done whole. With Last-Event-ID (or ?lastEventId=) missed messages are replayed from the store
 * first.
 */
#include "api/api.h"

#include "core/buf.h"
#include "core/json.h"
#include "events/bus.h"
#include "teams/teams.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* http_stream_write answers in the bus's terms (the transport's write). */
_Static_assert(HTTP_STREAM_GONE == EVENTS_WRITE_GONE, "stream write codes");
_Static_assert(HTTP_STREAM_NO_DIRECT == EVENTS_WRITE_NONE, "stream write codes");

#define REPLAY_PAGE 500
#define REPLAY_MAX 5000

static ssize_t stream_read(void *arg, char *buf, size_t max)
{
    return events_sub_read(arg, buf, max);
}

static void stream_close(void *arg)
{
    events_unsubscribe(arg);
}

static int64_t last_event_id(struct api_call *c)
{
    const char *v = http_header(c->req, "Last-Event-ID");
    long long id;
    char *end;

    if (!v)
        v = http_query(c->req, "lastEventId");
    if (!v || !*v)
        return 0;
    errno = 0;
    id = strtoll(v, &end, 10);
    return errno || *end || id < 0 ? 0 : (int64_t)id;
}

/* Formats what the subscriber missed since `after` into its stream. */
static sb_err replay(struct api_call *c, struct events_sub *sub, int64_t after)
{
    struct sb_buf text = {0};
    size_t total = 0, n;
    sb_err err = SB_OK;

    do {
        struct sb_message *ms = NULL;

        err = teams_message_since(c->ctx, c->who, after, REPLAY_PAGE, &ms, &n);
        for (size_t i = 0; !err && i < n; i++) {
            json_t *j = teams_message_render(c->ctx, &ms[i], NULL);
            char *data = NULL;

            err = j ? sb_json_dump(j, &data) : SB_ERR_NOMEM;
            json_decref(j);
            if (!err)
                err = sb_buf_printf(&text, "id: %lld\nevent: message\ndata: %s\n\n",
                                    (long long)ms[i].seq, data);
            free(data);
            after = ms[i].seq;
        }
        teams_message_free_array(ms, n);
        total += n;
    } while (!err && n == REPLAY_PAGE && total < REPLAY_MAX);
    if (!err && text.len)
        err = events_sub_prepend(sub, text.data, text.len, after);
    if (!err && n == REPLAY_PAGE)
        events_sub_end_after_queue(sub); /* more to catch up on: the client reconnects */
    sb_buf_free(&text);
    return err;
}

void api_events(struct api_call *c)
{
    struct events_transport t = {http_stream_pause, http_stream_wake, c->req->conn,
                                 http_stream_write};
    struct events_sub *sub = NULL;
    int64_t after = last_event_id(c);
    sb_err err;

    /* Subscribe before replaying, so nothing published in between is missed. */
    err = teams_subscribe(c->ctx, c->who, after, &t, &sub, &c->diag);
    if (!err)
        err = events_sub_prepend(sub, "retry: 3000\n\n", 13, 0);
    if (!err && after > 0)
        err = replay(c, sub, after);
    if (err) {
        events_unsubscribe(sub);
        api_fail(c, err);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "text/event-stream; charset=utf-8";
    http_response_header(c->resp, "Cache-Control", "no-cache");
    http_response_header(c->resp, "X-Accel-Buffering", "no");
    c->resp->stream.read = stream_read;
    c->resp->stream.close = stream_close;
    c->resp->stream.arg = sub;
}
