/*
 * config.h: the server's settings, from flags, a configuration file and SWITCHBOARD_*
 * environment variables.
 *
 * Every flag --some-flag can also come from SWITCHBOARD_SOME_FLAG, in the environment or as a
 * line SWITCHBOARD_SOME_FLAG=value of the file named by --config (the format systemd's
 * EnvironmentFile= reads, so the packaged unit and `serve --config` read the same file). A flag
 * wins over the file, the file over the environment. Parsing never exits: it returns
 * SB_ERR_INVALID with a message naming the bad flag or file line, and main() turns that into
 * exit code 2.
 */
#ifndef SB_CONFIG_H
#define SB_CONFIG_H

#include "core/sb.h"

#include <stdbool.h>

struct sb_config {
    char listen_host[256];
    int listen_port;
    char data_dir[1024];
    char db_url[1100];
    char public_url[512]; /* no trailing slash; completed with the bound port when 0 */
    bool public_url_set;
    char tls_cert[1024];
    char tls_key[1024];
    /* The rates change on SIGHUP while requests read them, hence atomic. */
    _Atomic double webhook_rate_limit; /* posts per second per webhook; 0 = no limit */
    size_t max_payload;                /* largest webhook body in bytes */
    size_t max_body;                   /* largest API request body in bytes */
    int threads;                       /* HTTP worker threads */
    char web_root[1024];               /* the web client's files; "" = next to the binary */
    char apps_url[512]; /* sandbox origin template with "{app}"; "" = derived (apphost.h) */
    _Atomic double graph_item_rate; /* Graph connector items per second per connection; 0 = none */
    int max_connections_per_ip;     /* concurrent connections from one address; 0 = no limit */
    size_t public_body_budget;      /* bytes of request bodies from callers not authenticated
                                       (webhooks, sign-in, tokens, sandboxes) held at once */
    int graph_notify_retry_ms;      /* first retry of a connector notification; the schedule
                                       doubles it up to 32x and gives up after 240x (4 h at 60 s) */
    /* Single sign-on with an OpenID provider (auth/oidc.h); off while oidc_issuer is "". */
    char oidc_issuer[512];
    char oidc_client_id[256];
    char oidc_client_secret[512]; /* never logged; better from the environment */
    char oidc_name[128];          /* the label of "Sign in with LABEL" */
    bool oidc_create_users;       /* unknown people are created on first sign-in */
    /* Password sign-in only for the break-glass administrator (everyone else uses SSO). */
    bool disable_password_sign_in;
    char break_glass_admin[256]; /* that administrator's userPrincipalName; default "admin" */
    /* GET /metrics from other than loopback needs "Authorization: Bearer <this>"; "" = none */
    char metrics_token[256];
    char admin_token[256];  /* SWITCHBOARD_ADMIN_TOKEN (file or environment only, no flag) */
    char config_file[1024]; /* --config; "" = none */
    int log_level;          /* SB_LOG_ERROR .. SB_LOG_INFO (--log-level error|warn|info) */
    char smtp_url[512];     /* forwards of kind email: smtp://host:port (or smtps://); "" = none */
    char smtp_from[256];    /* their sender address */
};

/* Fills cfg from argv (the arguments after the subcommand) and getenv. */
sb_err sb_config_parse(struct sb_config *cfg, int argc, char **argv, struct sb_diag *diag);

/* Splits "host:port" or "[v6]:port" into host and port (0..65535). */
sb_err sb_config_parse_listen(const char *s, char *host, size_t host_cap, int *port);

#endif
