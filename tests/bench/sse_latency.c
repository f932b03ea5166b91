/*
 * sse_latency.c: post-to-delivery latency of Server-Sent Events, for `make bench`.
 *
 *   sse_latency HOST PORT TOKEN PATH SUBSCRIBERS MESSAGES [card|reply|reaction]
 *
 * Opens SUBSCRIBERS event streams on one epoll loop, then sends MESSAGES probes (one at a time,
 * each after the previous one reached every subscriber) and records, for every subscriber, the
 * time from just before the probe was written to the arrival of its event. A C client keeps the
 * measuring side cheap, so the figure is the server's, not the client's. The probes:
 *   card      (default) a card posted to the webhook PATH (event: message)
 *   reply     a reply posted with TOKEN to PATH = .../messages/{id}/replies (event: message)
 *   reaction  a reaction set with TOKEN on one of MESSAGES messages posted to PATH =
 *             .../channels/{id}/messages before the streams open (event: messageUpdated, which
 *             carries the whole message and so its text)
 * Each probe's event holds the marker "lat-<n>-".
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct sub {
    int fd;
    int next_expected; /* index of the next probe this stream has not seen */
    char tail[32];     /* last bytes of the previous read, so a marker split across reads is found */
    size_t tail_len;
};

static double now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int connect_to(const char *host, int port)
{
    struct sockaddr_in a = {0};
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

    if (fd < 0)
        return -1;
    a.sin_family = AF_INET;
    a.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &a.sin_addr);
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n <= 0)
            return -1;
        buf += n;
        len -= (size_t)n;
    }
    return 0;
}

/* One request with Connection: close; the answer (up to cap - 1 bytes) goes to resp. */
static int request(const char *host, int port, const char *method, const char *path,
                   const char *token, const char *body, char *resp, size_t cap)
{
    char req[4096];
    size_t len = 0;
    ssize_t r;
    int fd = connect_to(host, port);

    if (fd < 0)
        return -1;
    snprintf(req, sizeof(req),
             "%s %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
             method, path, host, token, strlen(body), body);
    if (write_all(fd, req, strlen(req)) != 0) {
        close(fd);
        return -1;
    }
    while (len + 1 < cap && (r = read(fd, resp + len, cap - 1 - len)) > 0)
        len += (size_t)r;
    resp[len] = '\0';
    close(fd);
    return strncmp(resp, "HTTP/1.1 2", 10) == 0 ? 0 : -1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Finds "lat-<n>-" markers in text; for each n == s->next_expected records a latency. */
static int scan(struct sub *s, const char *text, size_t len, const double *sent, double *lat,
                size_t *nlat, int messages)
{
    int found = 0;

    for (size_t i = 0; i + 5 < len; i++) {
        int n;
        if (memcmp(text + i, "lat-", 4) != 0)
            continue;
        if (sscanf(text + i + 4, "%d-", &n) == 1 && n == s->next_expected && n < messages) {
            lat[(*nlat)++] = now_ms() - sent[n];
            s->next_expected++;
            found++;
        }
    }
    return found;
}

int main(int argc, char **argv)
{
    const char *host, *token, *hook;
    int port, subs, messages, ep;
    struct sub *ss;
    double *sent, *lat;
    size_t nlat = 0;
    char req[1024], buf[65536], (*ids)[64] = NULL;
    const char *mode = argc == 8 ? argv[7] : "card";

    if ((argc != 7 && argc != 8) ||
        (strcmp(mode, "card") && strcmp(mode, "reply") && strcmp(mode, "reaction"))) {
        fprintf(stderr, "usage: sse_latency HOST PORT TOKEN PATH SUBSCRIBERS MESSAGES "
                        "[card|reply|reaction]\n");
        return 2;
    }
    host = argv[1];
    port = atoi(argv[2]);
    token = argv[3];
    hook = argv[4];
    subs = atoi(argv[5]);
    messages = atoi(argv[6]);
    ss = calloc((size_t)subs, sizeof(*ss));
    sent = calloc((size_t)messages, sizeof(*sent));
    lat = calloc((size_t)subs * (size_t)messages, sizeof(*lat));
    ep = epoll_create1(0);
    if (!ss || !sent || !lat || ep < 0)
        return 1;
    /* The messages to react to, posted before any stream listens (their own events are not
     * seen: a stream without Last-Event-ID replays nothing). */
    if (!strcmp(mode, "reaction")) {
        if (!(ids = calloc((size_t)messages, sizeof(*ids))))
            return 1;
        for (int m = 0; m < messages; m++) {
            char body[128];
            const char *id;

            snprintf(body, sizeof(body), "{\"body\":{\"content\":\"lat-%d- reaction target\"}}", m);
            if (request(host, port, "POST", hook, token, body, buf, sizeof(buf)) != 0 ||
                !(id = strstr(buf, "\"id\":\"")) || sscanf(id + 6, "%63[^\"]", ids[m]) != 1) {
                fprintf(stderr, "sse_latency: posting message %d failed: %.300s\n", m, buf);
                return 1;
            }
        }
    }

    snprintf(req, sizeof(req),
             "GET /api/v1/events HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n"
             "Accept: text/event-stream\r\n\r\n",
             host, token);
    for (int i = 0; i < subs; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = (uint32_t)i};
        ss[i].fd = connect_to(host, port);
        if (ss[i].fd < 0 || write_all(ss[i].fd, req, strlen(req)) != 0) {
            fprintf(stderr, "sse_latency: connection %d failed: %s\n", i, strerror(errno));
            return 1;
        }
        /* Wait for the stream's first bytes so every subscriber is registered before posting. */
        if (read(ss[i].fd, buf, sizeof(buf)) <= 0) {
            fprintf(stderr, "sse_latency: stream %d closed\n", i);
            return 1;
        }
        epoll_ctl(ep, EPOLL_CTL_ADD, ss[i].fd, &ev);
    }

    for (int m = 0; m < messages; m++) {
        char body[128], post[2048], path[1024], auth[256] = "";
        int pfd = connect_to(host, port), got = 0, blen;
        double deadline;

        if (!strcmp(mode, "card")) {
            blen = snprintf(body, sizeof(body), "{\"text\":\"lat-%d- delivery probe\"}", m);
            snprintf(path, sizeof(path), "%s", hook);
        } else {
            snprintf(auth, sizeof(auth), "Authorization: Bearer %s\r\n", token);
            if (!strcmp(mode, "reply")) {
                blen = snprintf(body, sizeof(body), "{\"body\":{\"content\":\"lat-%d- reply\"}}", m);
                snprintf(path, sizeof(path), "%s", hook);
            } else {
                blen = snprintf(body, sizeof(body), "{\"reactionType\":\"like\"}");
                snprintf(path, sizeof(path), "%s/%s/setReaction", hook, ids[m]);
            }
        }
        snprintf(post, sizeof(post),
                 "POST %s HTTP/1.1\r\nHost: %s\r\n%sContent-Type: application/json\r\n"
                 "Content-Length: %d\r\nConnection: close\r\n\r\n%s",
                 path, host, auth, blen, body);
        sent[m] = now_ms();
        if (pfd < 0 || write_all(pfd, post, strlen(post)) != 0) {
            fprintf(stderr, "sse_latency: post %d failed\n", m);
            return 1;
        }
        deadline = now_ms() + 5000;
        while (got < subs && now_ms() < deadline) {
            struct epoll_event evs[256];
            int n = epoll_wait(ep, evs, 256, 100);
            for (int e = 0; e < n; e++) {
                struct sub *s = &ss[evs[e].data.u32];
                ssize_t r = read(s->fd, buf + s->tail_len, sizeof(buf) - s->tail_len);
                size_t total, keep;

                if (r <= 0)
                    continue;
                memcpy(buf, s->tail, s->tail_len);
                total = s->tail_len + (size_t)r;
                got += scan(s, buf, total, sent, lat, &nlat, messages);
                /* A marker already counted is not counted again: next_expected moved on. */
                keep = total < sizeof(s->tail) ? total : sizeof(s->tail);
                memcpy(s->tail, buf + total - keep, keep);
                s->tail_len = keep;
            }
        }
        close(pfd);
    }
    if (nlat == 0) {
        fprintf(stderr, "sse_latency: no deliveries\n");
        return 1;
    }
    free(ids);
    qsort(lat, nlat, sizeof(*lat), cmp_double);
    printf("RESULT mode=%s subscribers=%d messages=%d deliveries=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
           mode, subs, messages, nlat, lat[nlat / 2], lat[(size_t)((double)nlat * 0.99)],
           lat[nlat - 1]);
    return 0;
}
