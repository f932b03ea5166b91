/*
 * bus.h: live events for Server-Sent Events subscribers, inside one process.
 *
 * A published event is formatted once ("id: SEQ\nevent: message\ndata: JSON\n\n") and shared,
 * reference-counted, by every subscriber allowed to see it (subscribers name the teams they can
 * read; membership changes are published to the bus so those sets stay current). Each
 * subscriber has a bounded queue; one that falls too far behind is closed, and its client
 * reconnects with Last-Event-ID and catches up from the store.
 *
 * Message events must be published in seq order (teams/remote.c does it, from the store's
 * commit-ordered notifications): a client that saw seq N resumes after N, so an event published
 * after a higher one would be lost to it. The bus keeps that publisher's watermark.
 *
 * The transport is not the bus's business: a subscriber supplies pause() (called with the
 * subscriber's lock held, when it has nothing to send) and wake() (called with that lock held
 * when something arrives for a paused subscriber). The lock order is bus, then subscriber, then
 * whatever the transport locks inside pause/wake/write.
 *
 * write() (optional) delivers to a paused subscriber without waking it: the publisher hands the
 * shared frame straight to every paused stream's socket, so one event to N idle streams costs
 * N non-blocking writes on the publishing thread instead of N wake-ups, reads and suspends on
 * the transport's threads. It returns the count written; what did not fit is queued and the
 * subscriber woken as before; EVENTS_WRITE_GONE closes the subscriber; EVENTS_WRITE_NONE
 * means this subscriber cannot be written directly (it is woken instead). The bus calls it
 * only after events_sub_read() has returned bytes once, so the transport's own preamble (the
 * HTTP headers) is out first.
 */
#ifndef SB_EVENTS_BUS_H
#define SB_EVENTS_BUS_H

#include "core/sb.h"

#include <stdbool.h>
#include <sys/types.h>

#define EVENTS_QUEUE_MAX 512      /* events waiting for one subscriber before it is closed */
#define EVENTS_HEARTBEAT_MS 15000 /* comment lines keep idle streams (and proxies) alive */

struct events_bus;
struct events_sub;

#define EVENTS_WRITE_GONE (-1)
#define EVENTS_WRITE_NONE (-2)

struct events_transport {
    void (*pause)(void *conn);
    void (*wake)(void *conn);
    void *conn;
    ssize_t (*write)(void *conn, const char *data, size_t len); /* NULL: always wake */
};

sb_err events_bus_new(struct events_bus **out);
/* Closes every stream (their next read ends them) and stops the heartbeat. */
void events_bus_shutdown(struct events_bus *b);
/* Frees the bus; every subscriber must have unsubscribed. */
void events_bus_free(struct events_bus *b);
size_t events_bus_subscribers(struct events_bus *b);

/* True when some subscriber would receive an event of team_id: publishers skip rendering an
 * event nobody is listening for. */
bool events_bus_wanted(struct events_bus *b, const char *team_id);
/* Publishes an event of type `type` for readers of team_id; data is one line of JSON.
 * seq 0 is a live-only event (a changed card): sent without an id line to every current
 * subscriber, never replayed. */
void events_publish(struct events_bus *b, int64_t seq, const char *type, const char *team_id,
                    const char *data);
/* The highest message seq handed to the bus or passed over (nobody could see it): the next
 * message event must have a higher one. Starts at 0. */
int64_t events_bus_through(struct events_bus *b);
void events_bus_set_through(struct events_bus *b, int64_t seq);
/* Keeps subscribers' team sets current when a membership is added or removed. */
void events_membership(struct events_bus *b, const char *user_id, const char *team_id, bool added);

/* Ends every stream of user_id (their account was disabled or deleted, or their sessions
 * ended): the client's reconnection then meets the 401. */
void events_end_user(struct events_bus *b, const char *user_id);

/* Subscribes user_id (all_teams: a global administrator) to events of teams[0..nteams).
 * after_seq: events with seq <= after_seq are not delivered live (they were replayed). */
sb_err events_subscribe(struct events_bus *b, const char *user_id, bool all_teams,
                        const sb_id *teams, size_t nteams, int64_t after_seq,
                        const struct events_transport *t, struct events_sub **out);
/* Queues text (already formatted SSE: replayed events) ahead of live events; live events with
 * seq <= through (already in the text) are then skipped. */
sb_err events_sub_prepend(struct events_sub *s, const char *text, size_t len, int64_t through);
/* Ends the stream once what is queued has been sent (the client resumes with Last-Event-ID). */
void events_sub_end_after_queue(struct events_sub *s);
/* Fills buf with up to max bytes of pending stream text. Returns the byte count; 0 after
 * calling pause() when there is nothing to send; -1 when the stream is over. */
ssize_t events_sub_read(struct events_sub *s, char *buf, size_t max);
void events_unsubscribe(struct events_sub *s);

#endif
