/*
 * main.c: the command line (serve, version), start-up, signals and shut-down.
 *
 * Exit codes: 0 ok, 2 usage error (the message names the bad flag), 1 runtime failure.
 * The process-wide state (configuration, metrics, store, server) lives here and is handed to
 * the rest of the program through struct sb_ctx.
 */
#include "actions/actions.h"
#include "api/api.h"
#include "auth/auth.h"
#include "auth/jwt.h"
#include "auth/pool.h"
#include "cli/admin.h"
#include "connectors/apphost.h"
#include "core/config.h"
#include "core/ids.h"
#include "core/log.h"
#include "core/metrics.h"
#include "events/bus.h"
#include "http/http.h"
#include "net/fetch.h"
#include "org/org.h"
#include "graphconn/graphconn.h"
#include "forward/forward.h"
#include "outbox/outbox.h"
#include "proxy/proxy.h"
#include "store/store.h"
#include "teams/teams.h"
#include "webhooks/ratelimit.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#define SB_VERSION "0.1.0"
#define EXIT_USAGE 2

static void usage(FILE *f)
{
    fprintf(f, "usage: switchboard serve [--listen HOST:PORT] [--db URL] [--data DIR]\n"
               "                         [--public-url URL] [--tls-cert FILE --tls-key FILE]\n"
               "                         [--webhook-rate-limit N] [--max-payload BYTES]\n"
               "                         [--max-body BYTES] [--threads N] [--web-root DIR]\n"
               "                         [--graph-item-rate N] [--graph-notify-retry-ms MS]\n"
               "                         [--max-connections-per-ip N]\n"
               "                         [--unauthenticated-body-budget BYTES]\n"
               "                         [--config FILE] [--metrics-token TOKEN]\n"
               "                         [--log-level error|warn|info]\n"
               "                         [--smtp-url smtp://HOST:PORT --smtp-from ADDRESS]\n"
               "       switchboard admin [--db URL | --data DIR] <cmdlet> [-Parameter:value ...]\n"
               "       switchboard version\n"
               "Every flag can also be set as SWITCHBOARD_<FLAG> in the environment or as a\n"
               "SWITCHBOARD_<FLAG>=value line of the --config file (flag > file > environment).\n"
               "See switchboard(8).\n");
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char tmp[1024];
    size_t len = strlen(path);

    if (len == 0 || len >= sizeof(tmp))
        return -1;
    memcpy(tmp, path, len + 1);
    for (char *p = tmp + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(tmp, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
            free(buf);
            buf = NULL;
        } else {
            buf[n] = '\0';
        }
    }
    fclose(f);
    return buf;
}

/* The web client's files: --web-root, else web/dist beside the build directory of the binary
 * (build/switchboard -> web/dist), else where `make install` puts them
 * (PREFIX/bin/switchboard -> PREFIX/share/switchboard/web). */
static void default_web_root(struct sb_config *cfg)
{
    static const char *const beside[] = {"../web/dist", "../share/switchboard/web"};
    char exe[900], probe[1100];
    ssize_t n;
    char *slash;

    if (cfg->web_root[0])
        return;
    n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (n <= 0)
        return;
    exe[n] = '\0';
    slash = strrchr(exe, '/');
    if (!slash)
        return;
    *slash = '\0';
    for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
        snprintf(probe, sizeof(probe), "%s/%s/index.html", exe, beside[i]);
        if (i + 1 == sizeof(beside) / sizeof(beside[0]) || access(probe, R_OK) == 0) {
            snprintf(cfg->web_root, sizeof(cfg->web_root), "%s/%s", exe, beside[i]);
            return;
        }
    }
}

static int fail(const char *what, const struct sb_diag *diag, sb_err err)
{
    sb_log_error("%s: %s", what, diag->message[0] ? diag->message : sb_err_name(err));
    return EXIT_FAILURE;
}

/* The installation's identity and keys, made at first start and kept in the store. */
static sb_err load_identity(struct sb_ctx *ctx)
{
    unsigned char raw[sizeof(ctx->webhook_key)];
    char fresh_key[2 * sizeof(raw) + 1];
    sb_id fresh;
    char *tenant = NULL, *key = NULL;
    sb_err err;

    sb_id_new(ctx, fresh);
    err = store_meta_init(ctx->store, "tenant_id", fresh, &tenant);
    if (!err)
        snprintf(ctx->tenant_id, sizeof(ctx->tenant_id), "%s", tenant);
    sb_random(ctx, raw, sizeof(raw));
    sb_hex(raw, sizeof(raw), fresh_key);
    if (!err)
        err = store_meta_init(ctx->store, "webhook_key", fresh_key, &key);
    if (!err && (strlen(key) != 2 * sizeof(raw) ||
                 sodium_hex2bin(ctx->webhook_key, sizeof(ctx->webhook_key), key, strlen(key), NULL,
                                NULL, NULL) != 0))
        err = SB_ERR_IO;
    sodium_memzero(raw, sizeof(raw));
    sodium_memzero(fresh_key, sizeof(fresh_key));
    free(tenant);
    free(key);
    return err;
}

static sb_err bootstrap_admin(struct sb_ctx *ctx, struct sb_diag *diag)
{
    const char *token = ctx->cfg->admin_token;
    char password[64];
    bool created = false;
    sb_err err;

    if (token && *token) {
        err = auth_bootstrap_token(ctx, token, diag);
        if (err)
            return err;
    }
    err = auth_bootstrap_first_admin(ctx, password, sizeof(password), &created, diag);
    if (!err && created)
        sb_log_raw("first start: created administrator 'admin' with password: %s", password);
    sodium_memzero(password, sizeof(password));
    return err;
}

/* SIGHUP: reads the flags, the --config file and the environment again and applies what can
 * change while running: the rate limits, the log level, and the organisation settings cache
 * (outbound hosts and the rest are read from the store again on next use). The rest (listen
 * address, store, TLS, tokens) needs a restart; a file that no longer parses changes nothing. */
static void reload(struct sb_ctx *ctx, struct sb_config *cfg, int argc, char **argv)
{
    static struct sb_config fresh; /* large; only the main thread reloads */
    struct sb_diag diag = {{0}, {0}};

    sd_notify(0, "RELOADING=1");
    if (sb_config_parse(&fresh, argc, argv, &diag) != SB_OK) {
        sb_log_error("reload: %s; keeping the running settings", diag.message);
    } else {
        double wh = atomic_load(&fresh.webhook_rate_limit);
        double gi = atomic_load(&fresh.graph_item_rate);

        atomic_store(&cfg->webhook_rate_limit, wh);
        atomic_store(&cfg->graph_item_rate, gi);
        webhook_limiter_set_rate(ctx->limiter, wh);
        webhook_limiter_set_rate(ctx->gc_item_limiter, gi);
        sb_log_set_level(fresh.log_level);
        pthread_mutex_lock(&ctx->org->mu);
        ctx->org->valid = false;
        pthread_mutex_unlock(&ctx->org->mu);
        sb_log_info("reloaded the settings: webhook rate limit %g/s, graph item rate %g/s", wh, gi);
    }
    sodium_memzero(&fresh, sizeof(fresh));
    sd_notify(0, "READY=1");
}

static int serve(int argc, char **argv)
{
    static struct sb_config cfg; /* process-wide; outlives every thread */
    static struct sb_metrics metrics;
    static struct org_cache org;
    struct sb_ctx ctx = {0};
    struct sb_diag diag = {{0}, {0}};
    struct store_opts so;
    struct http_listener listener;
    struct http_server_opts ho = {0};
    struct http_server *srv = NULL;
    struct http_app app;
    char *cert = NULL, *key = NULL;
    sigset_t sigs;
    int sig = 0, rc = EXIT_FAILURE;
    sb_err err;

    err = sb_config_parse(&cfg, argc, argv, &diag);
    if (err) {
        fprintf(stderr, "switchboard: %s\n", diag.message);
        usage(stderr);
        return EXIT_USAGE;
    }
    sb_log_set_level(cfg.log_level);
    default_web_root(&cfg);
    if (sodium_init() < 0 || fetch_global_init() != SB_OK) {
        sb_log_error("cannot initialise libsodium or libcurl");
        return EXIT_FAILURE;
    }
    /* Threads started from here on inherit this mask; main waits for the signals below. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (strncmp(cfg.db_url, "sqlite:", 7) == 0 && make_dirs(cfg.data_dir) != 0) {
        sb_log_error("cannot create data directory %s: %s", cfg.data_dir, strerror(errno));
        return EXIT_FAILURE;
    }
    /* The database holds the keys: owner-only, also when an older version left it 0644. */
    if (strncmp(cfg.db_url, "sqlite:", 7) == 0)
        store_files_repair(cfg.data_dir, cfg.db_url + 7);
    if (cfg.tls_cert[0]) {
        cert = read_file(cfg.tls_cert);
        key = read_file(cfg.tls_key);
        if (!cert || !key) {
            sb_log_error("cannot read --tls-cert %s or --tls-key %s", cfg.tls_cert, cfg.tls_key);
            goto out;
        }
    }
    metrics.started_ms = 0;
    ctx.cfg = &cfg;
    ctx.metrics = &metrics;
    ctx.clock = sb_clock_system();
    if (org_cache_init(&org) != SB_OK)
        return EXIT_FAILURE;
    ctx.org = &org;
    metrics.started_ms = sb_now_ms(&ctx);

    so.url = cfg.db_url;
    so.readers = cfg.threads;
    err = store_open(&so, &ctx.store, &diag);
    if (err) {
        rc = fail("cannot open the store", &diag, err);
        goto out;
    }
    err = load_identity(&ctx);
    if (!err)
        err = bootstrap_admin(&ctx, &diag);
    if (err) {
        rc = fail("cannot prepare the database", &diag, err);
        goto out;
    }
    err = http_listen(cfg.listen_host, cfg.listen_port, &listener, &diag);
    if (err) {
        rc = fail("cannot listen", &diag, err);
        goto out;
    }
    if (!cfg.public_url_set) {
        bool v6 = strchr(cfg.listen_host, ':') != NULL;
        snprintf(cfg.public_url, sizeof(cfg.public_url), "%s://%s%s%s:%d", cert ? "https" : "http",
                 v6 ? "[" : "", cfg.listen_host, v6 ? "]" : "", listener.port);
    }
    if (!cfg.apps_url[0]) {
        err = apphost_default_template(cfg.public_url, cfg.apps_url, sizeof(cfg.apps_url));
        if (err) {
            rc =
                fail("cannot derive the apps URL from the public URL; give --apps-url", &diag, err);
            goto out;
        }
    } else if (!apphost_template_ok(cfg.apps_url)) {
        sb_log_error("invalid --apps-url '%s': an http(s) origin with {app} in its host",
                     cfg.apps_url);
        rc = 2;
        goto out;
    }
    if (webhook_limiter_new(cfg.webhook_rate_limit, &ctx.limiter) != SB_OK ||
        webhook_limiter_new(cfg.graph_item_rate, &ctx.gc_item_limiter) != SB_OK ||
        events_bus_new(&ctx.bus) != SB_OK || jwt_cache_new(&ctx.jwt) != SB_OK ||
        outbox_new(&ctx.outbox) != SB_OK || outbox_new(&ctx.forward_outbox) != SB_OK ||
        auth_pool_new(AUTH_POOL_THREADS, AUTH_POOL_QUEUE, &ctx.auth_pool) != SB_OK ||
        auth_pool_new(AUTH_POOL_THREADS, AUTH_POOL_QUEUE, &ctx.oidc_pool) != SB_OK ||
        proxy_relays_new(&ctx.relays) != SB_OK) {
        sb_log_error("cannot start: out of memory");
        goto out;
    }
    if (teams_remote_start(&ctx) != SB_OK) {
        sb_log_error("cannot start listening to the other server processes");
        goto out;
    }
    /* Every job kind is registered before the worker starts (outbox_register). Forwards wait
     * on destinations outside (up to 10 s each): a worker of their own, started second (it
     * does not clear leases), so that card actions never queue behind them. */
    if (gc_outbox_register(&ctx) != SB_OK || actions_register(ctx.outbox) != SB_OK ||
        outbox_set_lane(ctx.outbox, FORWARD_JOB_KIND, false) != SB_OK ||
        outbox_start(ctx.outbox, &ctx) != SB_OK ||
        outbox_set_lane(ctx.forward_outbox, FORWARD_JOB_KIND, true) != SB_OK ||
        forward_register(ctx.forward_outbox) != SB_OK ||
        outbox_start(ctx.forward_outbox, &ctx) != SB_OK) {
        sb_log_error("cannot start the outbox worker");
        goto out;
    }
    ho.listener = listener;
    ho.threads = cfg.threads;
    ho.tls_cert_pem = cert;
    ho.tls_key_pem = key;
    ho.per_ip_limit = (unsigned int)cfg.max_connections_per_ip;
    ho.public_body_budget = cfg.public_body_budget;
    app = api_app(&ctx);
    err = http_server_start(&ho, &app, &srv, &diag);
    if (err) {
        rc = fail("cannot start", &diag, err);
        goto out;
    }
    {
        bool v6 = listener.ipv6;
        sb_log_raw("listening on %s://%s%s%s:%d", cert ? "https" : "http", v6 ? "[" : "",
                   cfg.listen_host, v6 ? "]" : "", listener.port);
    }
    /* Under systemd (Type=notify) this tells it the server is ready: it listens and the store
     * is migrated. Without NOTIFY_SOCKET it does nothing. */
    sd_notify(0, "READY=1");
    for (;;) {
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig != SIGHUP)
            break;
        reload(&ctx, &cfg, argc, argv);
    }
    sd_notify(0, "STOPPING=1");
    sb_log_info("received signal %d: finishing requests in progress", sig);
    rc = EXIT_SUCCESS;
out:
    /* Shutdown order. A suspended connection (event stream, parked webhook post, relayed
     * configuration-page request, sign-in waiting for its hash) is resumed by another thread;
     * that resume must come before the daemon stops, so whoever resumes is stopped first:
     *  1. the server refuses every new request (503);
     *  2. event streams end (the bus wakes and closes every paused stream);
     *  3. the sandbox relays: new ones are refused, running ones finish and resume theirs;
     *  4. the password-hashing pool: after 1, so no new sign-in reaches it (one that still does
     *     gets 503), and before 5, since its jobs (and the cancelled ones) resume connections;
     *  5. the server waits until nothing is suspended (parked posts resume when the store's
     *     writer commits them: the store is still open), then for the rest, and stops;
     *  6. the outbox worker (jobs in progress finish; the others stay pending in the store);
     *  7. the store (its listener thread publishes to the bus, so the bus is freed after). */
    http_server_quiesce(srv);
    events_bus_shutdown(ctx.bus);
    proxy_stop(&ctx);
    auth_pool_stop(ctx.auth_pool);
    auth_pool_stop(ctx.oidc_pool); /* as 4: its jobs resume single sign-on requests */
    http_server_stop(srv, rc == EXIT_SUCCESS ? 10000 : 0);
    auth_pool_free(ctx.auth_pool);
    auth_pool_free(ctx.oidc_pool);
    outbox_stop(ctx.outbox);
    outbox_stop(ctx.forward_outbox);
    store_close(ctx.store);
    proxy_relays_free(ctx.relays);
    events_bus_free(ctx.bus);
    webhook_limiter_free(ctx.limiter);
    webhook_limiter_free(ctx.gc_item_limiter);
    outbox_free(ctx.outbox);
    outbox_free(ctx.forward_outbox);
    jwt_cache_free(ctx.jwt);
    fetch_global_cleanup();
    free(cert);
    free(key);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    if (strcmp(argv[1], "serve") == 0)
        return serve(argc - 2, argv + 2);
    if (strcmp(argv[1], "admin") == 0)
        return cli_admin(argc - 2, argv + 2);
    if (strcmp(argv[1], "version") == 0 || strcmp(argv[1], "--version") == 0) {
        printf("switchboard %s\n", SB_VERSION);
        return EXIT_SUCCESS;
    }
    if (strcmp(argv[1], "help") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(stdout);
        return EXIT_SUCCESS;
    }
    fprintf(stderr, "switchboard: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return EXIT_USAGE;
}
