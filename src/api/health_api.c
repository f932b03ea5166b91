/*
 * health_api.c: /healthz and /metrics (Prometheus text format).
 */
#include "api/api.h"

#include "core/buf.h"
#include "core/metrics.h"
#include "health/health.h"

void api_healthz(struct api_call *c)
{
    api_json(c, 200, json_pack("{s:s}", "status", "ok"));
}

/* Ready when the store answers: a load balancer stops sending here when the database is gone.
 * The migrations ran before the server started listening (store_open), so an answer here also
 * means they are done; /healthz only says the process is up. */
void api_readyz(struct api_call *c)
{
    if (health_store_ping(c->ctx) != SB_OK) {
        api_json(c, 503, json_pack("{s:s,s:s}", "status", "unavailable", "store", "down"));
        return;
    }
    api_json(c, 200, json_pack("{s:s,s:s}", "status", "ok", "store", "ok"));
}

void api_metrics(struct api_call *c)
{
    struct sb_metrics *m = c->ctx->metrics;
    struct sb_buf b = {0};
    char peer[64];
    sb_err err;

    if (!health_metrics_allowed(c->ctx, http_peer_address(c->req, peer, sizeof(peer)) ? peer : NULL,
                                http_header(c->req, "Authorization"))) {
        api_failf(c, SB_ERR_NOT_FOUND, "NotFound", "no such resource: %s", c->req->path);
        return;
    }
    err = sb_buf_puts(&b, "# HELP switchboard_http_requests_total HTTP requests answered, by "
                          "status class.\n# TYPE switchboard_http_requests_total counter\n");
    for (int cls = 1; cls <= 5 && !err; cls++)
        err = sb_buf_printf(&b, "switchboard_http_requests_total{code=\"%dxx\"} %llu\n", cls,
                            (unsigned long long)atomic_load(&m->http_requests[cls]));
    if (!err)
        err = sb_buf_printf(&b,
                            "# HELP switchboard_messages_stored_total Messages stored.\n"
                            "# TYPE switchboard_messages_stored_total counter\n"
                            "switchboard_messages_stored_total %llu\n"
                            "# HELP switchboard_logins_failed_total Failed sign-ins.\n"
                            "# TYPE switchboard_logins_failed_total counter\n"
                            "switchboard_logins_failed_total %llu\n"
                            "# HELP switchboard_password_hashes_total Password hashes computed "
                            "for sign-ins.\n"
                            "# TYPE switchboard_password_hashes_total counter\n"
                            "switchboard_password_hashes_total %llu\n"
                            "# HELP switchboard_signins_throttled_total Sign-ins refused with 429 "
                            "before hashing.\n"
                            "# TYPE switchboard_signins_throttled_total counter\n"
                            "switchboard_signins_throttled_total %llu\n"
                            "# HELP switchboard_store_write_queue Writes waiting for the next "
                            "group commit.\n"
                            "# TYPE switchboard_store_write_queue gauge\n"
                            "switchboard_store_write_queue %zu\n"
                            "# HELP switchboard_uptime_seconds Seconds since start.\n"
                            "# TYPE switchboard_uptime_seconds gauge\n"
                            "switchboard_uptime_seconds %lld\n",
                            (unsigned long long)atomic_load(&m->messages_stored),
                            (unsigned long long)atomic_load(&m->logins_failed),
                            (unsigned long long)atomic_load(&m->password_hashes),
                            (unsigned long long)atomic_load(&m->signins_throttled),
                            health_write_queue_depth(c->ctx),
                            (long long)((sb_now_ms(c->ctx) - m->started_ms) / 1000));
    if (err) {
        sb_buf_free(&b);
        api_fail(c, err);
        return;
    }
    c->resp->status = 200;
    c->resp->content_type = "text/plain; version=0.0.4; charset=utf-8";
    c->resp->body_len = b.len;
    c->resp->body = sb_buf_take(&b);
}
