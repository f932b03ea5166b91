/*
 * internal.h: what the service connectors share inside src/services: reading payload fields,
 * building MessageCards as jansson trees (never as concatenated JSON text), and the per-service
 * card builders.
 */
#ifndef SB_SERVICES_INTERNAL_H
#define SB_SERVICES_INTERNAL_H

#include "core/buf.h"
#include "services/services.h"

#include <stdbool.h>

/* Card colours: success, failure (and critical alerts), information, merged, neutral, warning. */
#define COLOR_SUCCESS "2EB886"
#define COLOR_FAILURE "D63333"
#define COLOR_INFO "0366D6"
#define COLOR_MERGED "6F42C1"
#define COLOR_NEUTRAL "6A737D"
#define COLOR_WARNING "DBAB09"

/* Texts from payloads are cut to this many bytes (at a UTF-8 boundary) in cards. */
#define SVC_TEXT_MAX 1500

/* The string at a dotted path of o ("repository.full_name"), "" when missing or not a string. */
const char *svc_str(const json_t *o, const char *path);
/* The integer at a dotted path, 0 when missing. */
long long svc_int(const json_t *o, const char *path);
bool svc_bool(const json_t *o, const char *path);
const json_t *svc_get(const json_t *o, const char *path);

/* A MessageCard being built. Builders never fail halfway silently: an allocation failure sets
 * failed and svc_card_finish() reports it. */
struct svc_card {
    json_t *root;
    json_t *sections; /* NULL until the first section */
    bool failed;
};

void svc_card_init(struct svc_card *c, const char *title, const char *color);
void svc_card_text(struct svc_card *c, const char *text);
/* Appends a section and returns it (NULL after a failure or past the card limit). */
json_t *svc_card_section(struct svc_card *c, const char *activity_title,
                         const char *activity_subtitle);
void svc_section_text(struct svc_card *c, json_t *section, const char *text);
/* A fact; skipped when value is empty. */
void svc_fact(struct svc_card *c, json_t *section, const char *name, const char *value);
/* An OpenUri action on the card (section NULL) or a section; skipped unless url is http(s) and
 * there is room (4 per list). */
void svc_link(struct svc_card *c, json_t *section, const char *name, const char *url);
/* A fact whose value is a moment: svc_iso_utc() of value, or value itself when it is not a
 * time the parser knows; skipped when empty or Go's zero time ("0001-01-01T00:00:00Z" means
 * "not set" in Alertmanager payloads). The web client shows a value that is exactly an ISO
 * 8601 UTC time as a relative time ("3 min ago") with the exact local time on hover. */
void svc_fact_time(struct svc_card *c, json_t *section, const char *name, const char *value);
/* Serialises the card into *out (heap); frees the tree. */
sb_err svc_card_finish(struct svc_card *c, char **out);
void svc_card_discard(struct svc_card *c);

/* s cut to at most max bytes at a UTF-8 boundary with an ellipsis, into out (cap > max+4). */
void svc_cut(const char *s, size_t max, char *out, size_t cap);
/* The first line of s, cut to max bytes. */
void svc_first_line(const char *s, size_t max, char *out, size_t cap);
/* s with markdown punctuation escaped, for text placed inside markdown we write ourselves. */
sb_err svc_md_escape(const char *s, char **out);
/* The commits of a push as a Markdown list ("- [`sha`](url) first line — author"), at most
 * SVC_COMMITS_SHOWN of them and "… and N more" for the rest of total; sha_len characters of
 * each id (GitHub shows 7, GitLab 8). Sets c->failed when out of memory. */
#define SVC_COMMITS_SHOWN 10
void svc_commit_list(struct svc_card *c, const json_t *commits, long long total, int sha_len,
                     struct sb_buf *text);

/* "2026-11-25T09:00:00.123+02:00" (RFC 3339, any fraction, Z or an offset) or GitLab's
 * "2026-11-25 09:00:00 UTC" as seconds since 1970; false when s is neither or before 1970. */
bool svc_time(const char *s, long long *epoch);
#define SVC_ISO_LEN 21 /* "2026-11-25T07:00:00Z" and its NUL */
/* epoch as ISO 8601 UTC to the second ("2026-11-25T07:00:00Z"). */
void svc_iso_utc(long long epoch, char out[SVC_ISO_LEN]);
/* A duration as a person says it: "42 s", "3 min 5 s", "2 h 4 min", "3 d 2 h". */
void svc_duration(long long seconds, char *out, size_t cap);
/* url when it may be the target of a markdown link we write (an http(s) URL without characters
 * that end a link destination: spaces, parentheses, angle brackets), else NULL. */
const char *svc_md_url(const char *url);

/* Filters: list is the settings' "events" or "branches" array; empty or missing = all. */
bool svc_event_wanted(const json_t *settings, const char *event);
bool svc_branch_wanted(const json_t *settings, const char *branch);

/* The outcome of one builder. */
struct svc_result {
    enum service_outcome outcome;
    int status;    /* with SERVICE_REFUSE */
    char why[256]; /* with SERVICE_IGNORE / SERVICE_REFUSE */
    char *card;    /* with SERVICE_POST (heap JSON text) */
};

void svc_ignore(struct svc_result *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void svc_refuse(struct svc_result *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Finishes c into r (SERVICE_POST), or a 500 refusal when building failed. */
void svc_post(struct svc_result *r, struct svc_card *c);

void svc_github(const json_t *settings, const char *event, const json_t *p, struct svc_result *r);
void svc_gitlab(const json_t *settings, const char *event, const json_t *p, struct svc_result *r);
void svc_alertmanager(const json_t *p, struct svc_result *r);

#endif
