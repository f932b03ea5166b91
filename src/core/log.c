/*
 * log.c: formatting, redaction and the single write per line (log.h).
 */
#include "core/log.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define MASK "***"

/* Where a path, query value or token ends in a log line. */
static bool ends_token(char c)
{
    return c == '\0' || isspace((unsigned char)c) || c == '"' || c == '\'' || c == '<' ||
           c == '>' || c == ',' || c == ')';
}

static bool ends_value(char c)
{
    return ends_token(c) || c == '&' || c == ';';
}

/* Parameters whose values are credentials, as name= or "name":. */
static const char *const secret_names[] = {
    "sig",           "code",     "token",         "access_token",
    "refresh_token", "id_token", "client_secret", "client_assertion",
    "password",      "key",
};

static bool is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* If a secret parameter starts at in[i] (at a name boundary), the length of what precedes its
 * value ("name=" or "\"name\":\"" with optional spaces); 0 otherwise. */
static size_t secret_param(const char *in, size_t i)
{
    bool quoted = in[i] == '"';
    const char *name = in + i + (quoted ? 1 : 0);

    if (i > 0 && is_name_char(in[i - 1]))
        return 0;
    for (size_t k = 0; k < sizeof(secret_names) / sizeof(secret_names[0]); k++) {
        size_t n = strlen(secret_names[k]);
        const char *p = name + n;

        if (strncasecmp(name, secret_names[k], n) != 0)
            continue;
        if (!quoted) {
            if (*p == '=')
                return (size_t)(p + 1 - (in + i));
            continue;
        }
        if (*p != '"')
            continue;
        p++;
        while (*p == ' ')
            p++;
        if (*p != ':')
            continue;
        p++;
        while (*p == ' ')
            p++;
        if (*p == '"')
            return (size_t)(p + 1 - (in + i));
    }
    return 0;
}

/* If a path prefix whose rest is secret starts at in[i], the length to keep; 0 otherwise. */
static size_t secret_path(const char *in, size_t i)
{
    static const char *const whole[] = {"/webhookb2/", "/webhook/"};

    for (size_t k = 0; k < sizeof(whole) / sizeof(whole[0]); k++)
        if (strncmp(in + i, whole[k], strlen(whole[k])) == 0)
            return strlen(whole[k]);
    /* /connectors/{kind}/{config}/{sig}; the API's /api/v1/connectors/{id} is not secret. */
    if (strncmp(in + i, "/connectors/", 12) == 0 &&
        !(i >= 7 && strncmp(in + i - 7, "/api/v1", 7) == 0)) {
        const char *slash = in + i + 12;

        while (is_name_char(*slash))
            slash++;
        if (*slash == '/')
            return (size_t)(slash + 1 - (in + i));
    }
    return 0;
}

/* "Bearer " or "Authorization: <scheme> ": the length to keep; 0 otherwise. */
static size_t secret_scheme(const char *in, size_t i)
{
    size_t n = 15;

    if (i > 0 && is_name_char(in[i - 1]))
        return 0;
    if (strncasecmp(in + i, "Bearer ", 7) == 0)
        return 7;
    if (strncasecmp(in + i, "Authorization: ", n) != 0)
        return 0;
    while (is_name_char(in[i + n]))
        n++;
    return in[i + n] == ' ' ? n + 1 : 15;
}

/* "://user:password@": the length to keep before the password; 0 otherwise. */
static size_t secret_userinfo(const char *in, size_t i, size_t *secret_len)
{
    const char *p = in + i + 3, *colon = NULL;

    if (strncmp(in + i, "://", 3) != 0)
        return 0;
    for (; !ends_token(*p) && *p != '/' && *p != '@'; p++)
        if (*p == ':' && !colon)
            colon = p;
    if (*p != '@' || !colon)
        return 0;
    *secret_len = (size_t)(p - colon - 1);
    return (size_t)(colon + 1 - (in + i));
}

struct out {
    char *buf;
    size_t cap, len;
};

static void put(struct out *o, const char *s, size_t n)
{
    if (o->cap == 0)
        return;
    if (n > o->cap - 1 - o->len)
        n = o->cap - 1 - o->len;
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

size_t sb_log_redact(const char *in, char *out, size_t cap)
{
    struct out o = {out, cap, 0};
    size_t i = 0;

    if (cap)
        out[0] = '\0';
    while (in[i]) {
        size_t keep, skip = 0;
        bool (*end)(char) = ends_value;

        if ((keep = secret_path(in, i)) != 0) {
            end = ends_token;
        } else if ((keep = secret_param(in, i)) != 0) {
            if (in[i] == '"') { /* a JSON string value ends at its closing quote */
                for (skip = 0; in[i + keep + skip] && in[i + keep + skip] != '"'; skip++)
                    if (in[i + keep + skip] == '\\' && in[i + keep + skip + 1])
                        skip++;
                end = NULL;
            }
        } else if ((keep = secret_scheme(in, i)) != 0) {
            end = ends_token;
        } else if ((keep = secret_userinfo(in, i, &skip)) != 0) {
            end = NULL;
        } else {
            put(&o, in + i, 1);
            i++;
            continue;
        }
        if (end)
            while (!end(in[i + keep + skip]))
                skip++;
        put(&o, in + i, keep);
        if (skip)
            put(&o, MASK, strlen(MASK));
        i += keep + skip;
    }
    return o.len;
}

/* The lowest level printed (SB_LOG_ERROR..SB_LOG_INFO); set at start and on SIGHUP. */
static _Atomic int min_level = SB_LOG_INFO;

void sb_log_set_level(int level)
{
    atomic_store_explicit(&min_level, level, memory_order_relaxed);
}

/* Under systemd (stderr connected to the journal, JOURNAL_STREAM set) each line starts with its
 * syslog priority, "<3>" and so on, which journald reads as the entry's priority. Only when
 * stderr really is that stream (JOURNAL_STREAM is "device:inode" of it): a child whose stderr
 * was redirected elsewhere inherits the variable but must not get the prefixes. */
static int stderr_is_journal(void)
{
    const char *v = getenv("JOURNAL_STREAM");
    unsigned long long dev, ino;
    struct stat st;

    return v && sscanf(v, "%llu:%llu", &dev, &ino) == 2 && fstat(2, &st) == 0 &&
           (unsigned long long)st.st_dev == dev && (unsigned long long)st.st_ino == ino;
}

static _Atomic int journal = -1; /* -1: not checked yet; every thread finds the same */

/* The format attribute lets clang's -Wformat-nonliteral see that fmt is checked by callers. */
__attribute__((format(printf, 3, 0))) static void emit(int lvl, const char *level, const char *fmt,
                                                       va_list ap)
{
    static const char prio[] = {'3', '4', '6'};
    char line[1024], clean[1024], pre[4] = "";

    if (level && lvl > atomic_load_explicit(&min_level, memory_order_relaxed))
        return;
    if (atomic_load_explicit(&journal, memory_order_relaxed) < 0)
        atomic_store_explicit(&journal, stderr_is_journal(), memory_order_relaxed);
    if (atomic_load_explicit(&journal, memory_order_relaxed) == 1 && level)
        snprintf(pre, sizeof(pre), "<%c>", prio[lvl]);
    vsnprintf(line, sizeof(line), fmt, ap);
    /* One fprintf per line so that lines from different threads do not interleave. */
    if (level) {
        sb_log_redact(line, clean, sizeof(clean));
        fprintf(stderr, "%sswitchboard: %s: %s\n", pre, level, clean);
    } else {
        fprintf(stderr, "%s\n", line);
    }
}

#define DEFINE_LOG(name, lvl, level)                                                               \
    void name(const char *fmt, ...)                                                                \
    {                                                                                              \
        va_list ap;                                                                                \
        va_start(ap, fmt);                                                                         \
        emit(lvl, level, fmt, ap);                                                                 \
        va_end(ap);                                                                                \
    }

DEFINE_LOG(sb_log_info, SB_LOG_INFO, "info")
DEFINE_LOG(sb_log_warn, SB_LOG_WARN, "warning")
DEFINE_LOG(sb_log_error, SB_LOG_ERROR, "error")
DEFINE_LOG(sb_log_raw, SB_LOG_ERROR, NULL)
