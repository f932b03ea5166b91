#include "core/config.h"

#include "core/log.h"

#include <ctype.h>
#include <stdatomic.h>
#include <stddef.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* OPT_BOOL flags take no value (--flag), or --flag=true|false; their environment variable
 * takes true/false/1/0. */
/* OPT_SECRET is a string from the file or the environment only, never the command line. */
enum opt_kind { OPT_STR, OPT_SECRET, OPT_LISTEN, OPT_SIZE, OPT_RATE, OPT_INT, OPT_BOOL, OPT_LEVEL };

struct opt {
    const char *flag; /* without the leading dashes */
    enum opt_kind kind;
    size_t offset;
    size_t cap;
};

#define STR_OPT(flag, field)                                                                       \
    {                                                                                              \
        flag, OPT_STR, offsetof(struct sb_config, field), sizeof(((struct sb_config *)0)->field)   \
    }

static const struct opt opts[] = {
    {"listen", OPT_LISTEN, 0, 0},
    STR_OPT("data", data_dir),
    STR_OPT("db", db_url),
    STR_OPT("public-url", public_url),
    STR_OPT("tls-cert", tls_cert),
    STR_OPT("tls-key", tls_key),
    STR_OPT("web-root", web_root),
    STR_OPT("apps-url", apps_url),
    {"webhook-rate-limit", OPT_RATE, offsetof(struct sb_config, webhook_rate_limit), 0},
    {"max-payload", OPT_SIZE, offsetof(struct sb_config, max_payload), 0},
    {"max-body", OPT_SIZE, offsetof(struct sb_config, max_body), 0},
    {"threads", OPT_INT, offsetof(struct sb_config, threads), 0},
    {"graph-item-rate", OPT_RATE, offsetof(struct sb_config, graph_item_rate), 0},
    {"graph-notify-retry-ms", OPT_INT, offsetof(struct sb_config, graph_notify_retry_ms), 0},
    {"max-connections-per-ip", OPT_INT, offsetof(struct sb_config, max_connections_per_ip), 0},
    {"unauthenticated-body-budget", OPT_SIZE, offsetof(struct sb_config, public_body_budget), 0},
    STR_OPT("oidc-issuer", oidc_issuer),
    STR_OPT("oidc-client-id", oidc_client_id),
    STR_OPT("oidc-client-secret", oidc_client_secret),
    STR_OPT("oidc-name", oidc_name),
    {"oidc-create-users", OPT_BOOL, offsetof(struct sb_config, oidc_create_users), 0},
    {"disable-password-sign-in", OPT_BOOL, offsetof(struct sb_config, disable_password_sign_in), 0},
    STR_OPT("break-glass-admin", break_glass_admin),
    STR_OPT("metrics-token", metrics_token),
    {"log-level", OPT_LEVEL, offsetof(struct sb_config, log_level), 0},
    {"admin-token", OPT_SECRET, offsetof(struct sb_config, admin_token),
     sizeof(((struct sb_config *)0)->admin_token)},
    STR_OPT("smtp-url", smtp_url),
    STR_OPT("smtp-from", smtp_from),
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))
#define LINE_MAX_LEN 4096

sb_err sb_config_parse_listen(const char *s, char *host, size_t host_cap, int *port)
{
    const char *colon, *hs = s, *he;
    char *end;
    long p;

    if (s[0] == '[') {
        he = strchr(s, ']');
        if (!he || he[1] != ':')
            return SB_ERR_INVALID;
        hs = s + 1;
        colon = he + 1;
    } else {
        colon = strrchr(s, ':');
        if (!colon)
            return SB_ERR_INVALID;
        he = colon;
    }
    if (he == hs || (size_t)(he - hs) >= host_cap || !colon[1])
        return SB_ERR_INVALID;
    errno = 0;
    p = strtol(colon + 1, &end, 10);
    if (errno || *end || p < 0 || p > 65535 || !isdigit((unsigned char)colon[1]))
        return SB_ERR_INVALID;
    memcpy(host, hs, (size_t)(he - hs));
    host[he - hs] = '\0';
    *port = (int)p;
    return SB_OK;
}

static sb_err set_opt(struct sb_config *cfg, const struct opt *o, const char *val, const char *src,
                      struct sb_diag *diag)
{
    char *base = (char *)cfg + o->offset, *end;
    unsigned long long n;
    double d;

    switch (o->kind) {
    case OPT_STR:
    case OPT_SECRET:
        if (strlen(val) >= o->cap || !val[0])
            return sb_fail(diag, SB_ERR_INVALID, "usage", "invalid %s%s: '%s'", src, o->flag, val);
        snprintf(base, o->cap, "%s", val);
        if (strcmp(o->flag, "public-url") == 0) {
            size_t len = strlen(cfg->public_url);
            const char *host = strncmp(val, "http://", 7) == 0    ? val + 7
                               : strncmp(val, "https://", 8) == 0 ? val + 8
                                                                  : NULL;
            if (!host || *host == '\0' || *host == '/')
                return sb_fail(diag, SB_ERR_INVALID, "usage",
                               "invalid %spublic-url '%s': must start with http:// or https://"
                               " and a host",
                               src, val);
            while (len > 0 && cfg->public_url[len - 1] == '/')
                cfg->public_url[--len] = '\0';
            cfg->public_url_set = true;
        }
        return SB_OK;
    case OPT_LISTEN:
        if (sb_config_parse_listen(val, cfg->listen_host, sizeof(cfg->listen_host),
                                   &cfg->listen_port))
            return sb_fail(diag, SB_ERR_INVALID, "usage",
                           "invalid %slisten '%s': expected HOST:PORT", src, val);
        return SB_OK;
    case OPT_SIZE:
    case OPT_INT:
        errno = 0;
        n = strtoull(val, &end, 10);
        if (errno || *end || !isdigit((unsigned char)val[0]) || n > (1ULL << 31))
            return sb_fail(diag, SB_ERR_INVALID, "usage",
                           "invalid %s%s '%s': expected a whole number", src, o->flag, val);
        if (o->kind == OPT_SIZE)
            *(size_t *)(void *)base = (size_t)n;
        else
            *(int *)(void *)base = (int)n;
        return SB_OK;
    case OPT_RATE:
        errno = 0;
        d = strtod(val, &end);
        if (errno || *end || !val[0] || !(d >= 0 && d <= 1e6)) /* NaN fails too */
            return sb_fail(diag, SB_ERR_INVALID, "usage",
                           "invalid %s%s '%s': expected a number >= 0", src, o->flag, val);
        /* The rates change on SIGHUP while others read them: atomic (config.h). */
        atomic_store((_Atomic double *)(void *)base, d);
        return SB_OK;
    case OPT_LEVEL:
        if (strcmp(val, "error") == 0)
            *(int *)(void *)base = SB_LOG_ERROR;
        else if (strcmp(val, "warn") == 0 || strcmp(val, "warning") == 0)
            *(int *)(void *)base = SB_LOG_WARN;
        else if (strcmp(val, "info") == 0)
            *(int *)(void *)base = SB_LOG_INFO;
        else
            return sb_fail(diag, SB_ERR_INVALID, "usage",
                           "invalid %s%s '%s': expected error, warn or info", src, o->flag, val);
        return SB_OK;
    case OPT_BOOL:
        if (strcmp(val, "true") == 0 || strcmp(val, "1") == 0)
            *(bool *)(void *)base = true;
        else if (strcmp(val, "false") == 0 || strcmp(val, "0") == 0)
            *(bool *)(void *)base = false;
        else
            return sb_fail(diag, SB_ERR_INVALID, "usage",
                           "invalid %s%s '%s': expected true or false", src, o->flag, val);
        return SB_OK;
    }
    return SB_ERR_INVALID;
}

static void env_name(const char *flag, char *out, size_t cap)
{
    size_t i = (size_t)snprintf(out, cap, "SWITCHBOARD_");

    for (; *flag && i + 1 < cap; flag++, i++)
        out[i] = *flag == '-' ? '_' : (char)toupper((unsigned char)*flag);
    out[i] = '\0';
}

/* The rules between settings, once they are all read. */
static sb_err check(struct sb_config *cfg, struct sb_diag *diag)
{
    if (!cfg->db_url[0] && snprintf(cfg->db_url, sizeof(cfg->db_url), "sqlite:%s/switchboard.db",
                                    cfg->data_dir) >= (int)sizeof(cfg->db_url))
        return sb_fail(diag, SB_ERR_INVALID, "usage", "--data path is too long");
    if ((cfg->tls_cert[0] != '\0') != (cfg->tls_key[0] != '\0'))
        return sb_fail(diag, SB_ERR_INVALID, "usage", "--tls-cert and --tls-key go together");
    if (!cfg->break_glass_admin[0])
        snprintf(cfg->break_glass_admin, sizeof(cfg->break_glass_admin), "admin");
    if (cfg->oidc_issuer[0] && (!cfg->oidc_client_id[0] || !cfg->oidc_client_secret[0]))
        return sb_fail(diag, SB_ERR_INVALID, "usage",
                       "--oidc-issuer needs --oidc-client-id and --oidc-client-secret");
    if (cfg->oidc_issuer[0] && strncmp(cfg->oidc_issuer, "https://", 8) != 0 &&
        strncmp(cfg->oidc_issuer, "http://", 7) != 0)
        return sb_fail(diag, SB_ERR_INVALID, "usage",
                       "invalid --oidc-issuer '%s': expected an https:// URL", cfg->oidc_issuer);
    if (!cfg->oidc_issuer[0] && cfg->disable_password_sign_in)
        return sb_fail(
            diag, SB_ERR_INVALID, "usage",
            "--disable-password-sign-in needs --oidc-issuer (else only %s could sign in)",
            cfg->break_glass_admin);
    if (cfg->threads < 1 || cfg->threads > 1024)
        return sb_fail(diag, SB_ERR_INVALID, "usage", "invalid --threads: expected 1 to 1024");
    return SB_OK;
}

static char *trim(char *s)
{
    char *end;

    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
        *--end = '\0';
    return s;
}

/* Reads the --config file: blank lines, comments (# or ;) and SWITCHBOARD_<FLAG>=value lines,
 * the value optionally in matching single or double quotes (as EnvironmentFile= allows). Values
 * go to vals[k] (heap copies; the last line of a name wins, like EnvironmentFile=) and line[k]
 * (their line numbers). A line that is none of these, or names no setting, is an error naming
 * its number, never its value (it may be a secret). */
static sb_err read_config_file(const char *path, char *vals[], int lines[], struct sb_diag *diag)
{
    char buf[LINE_MAX_LEN + 2];
    FILE *f = fopen(path, "r");
    int n = 0;
    sb_err err = SB_OK;

    if (!f)
        return sb_fail(diag, SB_ERR_INVALID, "usage", "cannot read --config %s: %s", path,
                       strerror(errno));
    while (fgets(buf, sizeof(buf), f)) {
        char *line, *eq, *val, name[64];
        size_t len, k, vlen;

        n++;
        len = strlen(buf);
        if (len > 0 && buf[len - 1] != '\n' && !feof(f)) {
            err = sb_fail(diag, SB_ERR_INVALID, "usage", "%s line %d: longer than %d bytes", path,
                          n, LINE_MAX_LEN);
            goto out;
        }
        line = trim(buf);
        if (!line[0] || line[0] == '#' || line[0] == ';')
            continue;
        eq = strchr(line, '=');
        if (!eq || strncmp(line, "SWITCHBOARD_", 12) != 0) {
            err = sb_fail(diag, SB_ERR_INVALID, "usage",
                          "%s line %d: expected SWITCHBOARD_<FLAG>=value", path, n);
            goto out;
        }
        *eq = '\0';
        line = trim(line);
        for (k = 0; k < NOPTS; k++) {
            env_name(opts[k].flag, name, sizeof(name));
            if (strcmp(name, line) == 0)
                break;
        }
        if (k == NOPTS) {
            err = sb_fail(diag, SB_ERR_INVALID, "usage", "%s line %d: unknown setting %.64s", path,
                          n, line);
            goto out;
        }
        val = trim(eq + 1);
        vlen = strlen(val);
        if (vlen >= 2 && (val[0] == '"' || val[0] == '\'') && val[vlen - 1] == val[0]) {
            val[vlen - 1] = '\0';
            val++;
        } else if (val[0] == '"' || val[0] == '\'') {
            err = sb_fail(diag, SB_ERR_INVALID, "usage", "%s line %d: unbalanced quote in %s", path,
                          n, line);
            goto out;
        }
        free(vals[k]);
        vals[k] = strdup(val);
        if (!vals[k]) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        lines[k] = n;
    }
    if (ferror(f))
        err = sb_fail(diag, SB_ERR_INVALID, "usage", "cannot read --config %s", path);
out:
    fclose(f);
    return err;
}

/* The value of --config on the command line (--config FILE or --config=FILE), else
 * SWITCHBOARD_CONFIG; NULL when neither. */
static const char *config_path(int argc, char **argv)
{
    const char *env = getenv("SWITCHBOARD_CONFIG");

    for (int i = 0; i < argc; i++) {
        if (strncmp(argv[i], "--config=", 9) == 0)
            return argv[i] + 9;
        if (strcmp(argv[i], "--config") == 0)
            return i + 1 < argc ? argv[i + 1] : "";
    }
    return env && *env ? env : NULL;
}

sb_err sb_config_parse(struct sb_config *cfg, int argc, char **argv, struct sb_diag *diag)
{
    bool from_flag[NOPTS] = {false};
    char *file_vals[NOPTS] = {NULL};
    int file_lines[NOPTS] = {0};
    const char *conf;
    sb_err err = SB_OK;

    memset(cfg, 0, sizeof(*cfg));
    snprintf(cfg->listen_host, sizeof(cfg->listen_host), "127.0.0.1");
    cfg->listen_port = 8080;
    snprintf(cfg->data_dir, sizeof(cfg->data_dir), "./var");
    cfg->webhook_rate_limit = 4;
    cfg->max_payload = 28 * 1024;
    cfg->max_body = 1024 * 1024;
    cfg->threads = 8;
    cfg->graph_item_rate = 25;
    cfg->graph_notify_retry_ms = 60000;
    /* An office behind one NAT address: a few hundred people, each with an event stream and a
     * browser's handful of connections. */
    cfg->max_connections_per_ip = 1024;
    /* Enough for every public route at its largest body many times over (a sandbox request is
     * 4 MiB, a webhook post 28 KiB), small enough that idle senders cannot exhaust memory. */
    cfg->public_body_budget = 64 * 1024 * 1024;
    cfg->log_level = SB_LOG_INFO;

    conf = config_path(argc, argv);
    if (conf) {
        if (!conf[0] || strlen(conf) >= sizeof(cfg->config_file))
            return sb_fail(diag, SB_ERR_INVALID, "usage", "flag --config needs a file");
        snprintf(cfg->config_file, sizeof(cfg->config_file), "%s", conf);
        err = read_config_file(conf, file_vals, file_lines, diag);
        if (err)
            goto out;
    }
    for (int i = 0; i < argc; i++) {
        const char *arg = argv[i], *name, *eq, *val;
        size_t nlen;
        size_t k;

        if (!arg)
            break;
        if (strcmp(arg, "--config") == 0) {
            i++;
            continue;
        }
        if (strncmp(arg, "--config=", 9) == 0)
            continue;
        if (strncmp(arg, "--", 2) != 0) {
            err = sb_fail(diag, SB_ERR_INVALID, "usage", "unexpected argument '%s'", arg);
            goto out;
        }
        name = arg + 2;
        eq = strchr(name, '=');
        nlen = eq ? (size_t)(eq - name) : strlen(name);
        for (k = 0; k < NOPTS; k++)
            if (opts[k].kind != OPT_SECRET && strlen(opts[k].flag) == nlen &&
                strncmp(opts[k].flag, name, nlen) == 0)
                break;
        if (k == NOPTS) {
            err = sb_fail(diag, SB_ERR_INVALID, "usage", "unknown flag --%.*s", (int)nlen, name);
            goto out;
        }
        if (eq) {
            val = eq + 1;
        } else if (opts[k].kind == OPT_BOOL) {
            val = "true";
        } else {
            if (i + 1 >= argc) {
                err =
                    sb_fail(diag, SB_ERR_INVALID, "usage", "flag --%s needs a value", opts[k].flag);
                goto out;
            }
            val = argv[++i];
        }
        err = set_opt(cfg, &opts[k], val, "--", diag);
        if (err)
            goto out;
        from_flag[k] = true;
    }
    for (size_t k = 0; k < NOPTS; k++) {
        char name[64], src[1100];
        const char *val;

        if (from_flag[k])
            continue;
        if (file_vals[k] && file_vals[k][0]) {
            snprintf(src, sizeof(src), "%s line %d: --", cfg->config_file, file_lines[k]);
            err = set_opt(cfg, &opts[k], file_vals[k], src, diag);
            if (err)
                goto out;
            continue;
        }
        env_name(opts[k].flag, name, sizeof(name));
        val = getenv(name);
        if (val && *val) {
            err = set_opt(cfg, &opts[k], val, "environment --", diag);
            if (err)
                goto out;
        }
    }
    err = check(cfg, diag);
out:
    for (size_t k = 0; k < NOPTS; k++)
        free(file_vals[k]);
    return err;
}
