/*
 * card.c: reading payload fields and building MessageCards for the service connectors.
 */
#include "services/internal.h"

#include "cards/cards.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "net/url.h"

#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CARD_KEY_MAX 64

const json_t *svc_get(const json_t *o, const char *path)
{
    char key[CARD_KEY_MAX];

    while (o && *path) {
        const char *dot = strchr(path, '.');
        size_t n = dot ? (size_t)(dot - path) : strlen(path);

        if (n >= sizeof(key))
            return NULL;
        memcpy(key, path, n);
        key[n] = '\0';
        o = json_object_get(o, key);
        path += n + (dot ? 1 : 0);
    }
    return o;
}

const char *svc_str(const json_t *o, const char *path)
{
    const json_t *v = svc_get(o, path);
    return json_is_string(v) ? json_string_value(v) : "";
}

long long svc_int(const json_t *o, const char *path)
{
    const json_t *v = svc_get(o, path);
    return json_is_integer(v) ? (long long)json_integer_value(v) : 0;
}

bool svc_bool(const json_t *o, const char *path)
{
    return json_is_true(svc_get(o, path));
}

static void set(struct svc_card *c, json_t *o, const char *key, json_t *v)
{
    if (!o || !v || json_object_set_new(o, key, v) != 0)
        c->failed = true;
}

/* Titles and other texts are formatted into fixed buffers, so a long one may end inside a
 * character: that partial character is dropped rather than the card failing. */
static json_t *utf8_string(const char *s)
{
    json_t *v = json_string(s);
    char *copy;

    if (v)
        return v;
    copy = strdup(s);
    if (!copy)
        return NULL;
    sb_utf8_scrub(copy);
    v = json_string(copy);
    free(copy);
    return v;
}

static void set_str(struct svc_card *c, json_t *o, const char *key, const char *s)
{
    if (s && *s)
        set(c, o, key, utf8_string(s));
}

void svc_card_init(struct svc_card *c, const char *title, const char *color)
{
    char summary[260];

    memset(c, 0, sizeof(*c));
    c->root = json_object();
    if (!c->root) {
        c->failed = true;
        return;
    }
    svc_cut(title, 250, summary, sizeof(summary));
    set_str(c, c->root, "@type", "MessageCard");
    set_str(c, c->root, "@context", "https://schema.org/extensions");
    set_str(c, c->root, "summary", summary);
    set_str(c, c->root, "title", title);
    set_str(c, c->root, "themeColor", color);
}

void svc_card_text(struct svc_card *c, const char *text)
{
    set_str(c, c->root, "text", text);
}

json_t *svc_card_section(struct svc_card *c, const char *activity_title,
                         const char *activity_subtitle)
{
    json_t *s;

    if (c->failed)
        return NULL;
    if (!c->sections) {
        c->sections = json_array();
        set(c, c->root, "sections", c->sections);
        if (c->failed)
            return NULL;
    }
    if (json_array_size(c->sections) >= CARD_SHOWN_SECTIONS)
        return NULL;
    s = json_object();
    if (!s || json_array_append_new(c->sections, s) != 0) {
        c->failed = true;
        return NULL;
    }
    set_str(c, s, "activityTitle", activity_title);
    set_str(c, s, "activitySubtitle", activity_subtitle);
    return s;
}

void svc_section_text(struct svc_card *c, json_t *section, const char *text)
{
    if (section)
        set_str(c, section, "text", text);
}

void svc_fact(struct svc_card *c, json_t *section, const char *name, const char *value)
{
    json_t *facts;

    if (!section || !value || !*value || c->failed)
        return;
    facts = json_object_get(section, "facts");
    if (!facts) {
        facts = json_array();
        set(c, section, "facts", facts);
        if (c->failed)
            return;
    }
    if (json_array_append_new(facts, json_pack("{s:o,s:o}", "name", utf8_string(name), "value",
                                               utf8_string(value))) != 0)
        c->failed = true;
}

void svc_link(struct svc_card *c, json_t *section, const char *name, const char *url)
{
    json_t *owner = section ? section : c->root, *list;
    sb_err err;

    if (!owner || !url || c->failed)
        return;
    err = net_url_link(url);
    if (err == SB_ERR_NOMEM)
        c->failed = true;
    if (err)
        return;
    list = json_object_get(owner, "potentialAction");
    if (!list) {
        list = json_array();
        set(c, owner, "potentialAction", list);
        if (c->failed)
            return;
    }
    if (json_array_size(list) >= CARD_MAX_ACTIONS)
        return;
    if (json_array_append_new(list, json_pack("{s:s,s:s,s:[{s:s,s:s}]}", "@type", "OpenUri", "name",
                                              name, "targets", "os", "default", "uri", url)) != 0)
        c->failed = true;
}

void svc_fact_time(struct svc_card *c, json_t *section, const char *name, const char *value)
{
    char iso[SVC_ISO_LEN];
    long long t;

    if (!value || !*value)
        return;
    if (!svc_time(value, &t)) {
        /* Go's zero time (year 1) means "not set"; any other text is shown as it came. */
        if (strncmp(value, "0001-", 5) != 0)
            svc_fact(c, section, name, value);
        return;
    }
    svc_iso_utc(t, iso);
    svc_fact(c, section, name, iso);
}

sb_err svc_card_finish(struct svc_card *c, char **out)
{
    *out = NULL;
    if (!c->failed)
        *out = json_dumps(c->root, JSON_COMPACT);
    json_decref(c->root);
    c->root = c->sections = NULL;
    return *out ? SB_OK : SB_ERR_NOMEM;
}

void svc_card_discard(struct svc_card *c)
{
    json_decref(c->root);
    c->root = c->sections = NULL;
}

/* The first n bytes of s, cut to at most max bytes between characters with an ellipsis, into
 * out (cap > max+4). */
static void cut_n(const char *s, size_t n, size_t max, char *out, size_t cap)
{
    if (cap == 0)
        return;
    if (max + 4 > cap)
        max = cap > 4 ? cap - 4 : 0;
    if (n <= max) {
        memcpy(out, s, n);
        out[n] = '\0';
        return;
    }
    max = sb_utf8_prefix_bytes(s, max); /* no character is split */
    memcpy(out, s, max);
    memcpy(out + max, "\xE2\x80\xA6", 4); /* U+2026 */
}

void svc_cut(const char *s, size_t max, char *out, size_t cap)
{
    cut_n(s, strlen(s), max, out, cap);
}

void svc_first_line(const char *s, size_t max, char *out, size_t cap)
{
    cut_n(s, strcspn(s, "\r\n"), max, out, cap);
}

sb_err svc_md_escape(const char *s, char **out)
{
    struct sb_buf b = {0};

    for (; *s; s++) {
        /* Line breaks become spaces: the escaped text sits inside one list item or link. */
        char ch = *s == '\n' || *s == '\r' ? ' ' : *s;
        if (strchr("\\`*_[](){}#+-!<>|~", ch) && sb_buf_append(&b, "\\", 1) != SB_OK)
            goto fail;
        if (sb_buf_append(&b, &ch, 1) != SB_OK)
            goto fail;
    }
    if (!b.data && sb_buf_append(&b, "", 0) != SB_OK)
        goto fail;
    *out = sb_buf_take(&b);
    return SB_OK;
fail:
    sb_buf_free(&b);
    *out = NULL;
    return SB_ERR_NOMEM;
}

static bool listed(const json_t *settings, const char *key, const char *value, bool glob)
{
    const json_t *list = json_object_get(settings, key);
    const json_t *v;
    size_t i;

    if (!json_is_array(list) || json_array_size(list) == 0)
        return true;
    json_array_foreach(list, i, v)
    {
        const char *s = json_string_value(v);
        if (s && (glob ? fnmatch(s, value, 0) == 0 : strcmp(s, value) == 0))
            return true;
    }
    return false;
}

bool svc_event_wanted(const json_t *settings, const char *event)
{
    return listed(settings, "events", event, false);
}

bool svc_branch_wanted(const json_t *settings, const char *branch)
{
    return listed(settings, "branches", branch, true);
}

void svc_ignore(struct svc_result *r, const char *fmt, ...)
{
    va_list ap;

    r->outcome = SERVICE_IGNORE;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof(r->why), fmt, ap);
    va_end(ap);
    sb_utf8_scrub(r->why); /* "%.100s" of a payload text may have cut a character */
}

void svc_refuse(struct svc_result *r, int status, const char *fmt, ...)
{
    va_list ap;

    r->outcome = SERVICE_REFUSE;
    r->status = status;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof(r->why), fmt, ap);
    va_end(ap);
    sb_utf8_scrub(r->why); /* "%.100s" of a payload text may have cut a character */
}

void svc_post(struct svc_result *r, struct svc_card *c)
{
    if (svc_card_finish(c, &r->card) != SB_OK) {
        svc_refuse(r, 500, "The card could not be built.");
        return;
    }
    r->outcome = SERVICE_POST;
}

void svc_commit_list(struct svc_card *c, const json_t *commits, long long total, int sha_len,
                     struct sb_buf *text)
{
    char line[200], sha[4 * 16 + 1]; /* ids of up to 16 characters of up to 4 bytes */
    const json_t *cm;
    size_t i;

    json_array_foreach(commits, i, cm)
    {
        char *esc = NULL;

        if (i == SVC_COMMITS_SHOWN) {
            if (sb_buf_printf(text, "- \xE2\x80\xA6 and %lld more\n", total - SVC_COMMITS_SHOWN))
                c->failed = true;
            break;
        }
        svc_first_line(svc_str(cm, "message"), 120, line, sizeof(line));
        /* Characters, not bytes: an id is whatever the payload says, not always hex. */
        snprintf(sha, sizeof(sha), "%.*s", (int)sb_utf8_prefix_chars(svc_str(cm, "id"), sha_len),
                 svc_str(cm, "id"));
        sb_utf8_scrub(sha);
        if (svc_md_escape(line, &esc) != SB_OK) {
            c->failed = true;
            break;
        }
        if (sb_buf_printf(text, "- [`%s`](%s) %s \xE2\x80\x94 %s\n", sha, svc_str(cm, "url"), esc,
                          svc_str(cm, "author.name")))
            c->failed = true;
        free(esc);
    }
}

/* n decimal digits at s into *v; false unless all n are digits. */
static bool digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        *v = *v * 10 + (s[i] - '0');
    }
    return true;
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar (Howard Hinnant's
 * days_from_civil): no timegm(), which is not C11 and may consult the time zone database. */
static long long days_from_civil(int y, int m, int d)
{
    long long era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

bool svc_time(const char *s, long long *epoch)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, sec, oh = 0, om = 0, sign = 0;
    const char *p;

    if (strlen(s) < 19 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) ||
        s[7] != '-' || !digits(s + 8, 2, &d) || !strchr("Tt ", s[10]) || !digits(s + 11, 2, &h) ||
        s[13] != ':' || !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return false;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 ||
        sec > 60 || (mo == 2 && d == 29 && (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))))
        return false;
    p = s + 19;
    if (*p == '.') /* a fraction of any length; the card shows whole seconds */
        for (p++; *p >= '0' && *p <= '9'; p++)
            ;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        sign = 0;
    else if (strcmp(p, " UTC") == 0)
        sign = 0;
    else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
             ((p[3] == ':' && digits(p + 4, 2, &om) && p[6] == '\0') ||
              (digits(p + 3, 2, &om) && p[5] == '\0')) &&
             oh < 24 && om < 60)
        sign = *p == '+' ? 1 : -1;
    else
        return false;
    *epoch = days_from_civil(y, mo, d) * 86400 + h * 3600LL + mi * 60LL + (sec > 59 ? 59 : sec) -
             sign * (oh * 3600LL + om * 60LL);
    return *epoch >= 0;
}

void svc_iso_utc(long long epoch, char out[SVC_ISO_LEN])
{
    time_t t = (time_t)epoch;
    struct tm tm;

    if (!gmtime_r(&t, &tm) || strftime(out, SVC_ISO_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        out[0] = '\0';
}

void svc_duration(long long s, char *out, size_t cap)
{
    /* The two largest units that apply; the smaller one left out when it is zero. */
    static const struct {
        long long size;
        const char *name;
    } unit[] = {{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}};
    size_t i = 0;

    if (s < 0)
        s = 0;
    while (i + 1 < sizeof(unit) / sizeof(unit[0]) && s < unit[i].size)
        i++;
    if (i + 1 < sizeof(unit) / sizeof(unit[0]) && s % unit[i].size / unit[i + 1].size)
        snprintf(out, cap, "%lld %s %lld %s", s / unit[i].size, unit[i].name,
                 s % unit[i].size / unit[i + 1].size, unit[i + 1].name);
    else
        snprintf(out, cap, "%lld %s", s / unit[i].size, unit[i].name);
}

const char *svc_md_url(const char *url)
{
    if (!url || net_url_link(url) != SB_OK || strpbrk(url, " \t\r\n()<>\\"))
        return NULL;
    return url;
}
