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
    if (json_array_size(c->sections) >= CARD_MAX_SECTIONS)
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
