/*
 * alertmanager.c: a Prometheus Alertmanager notification (webhook_configs, payload version 4)
 * as one MessageCard: a group of alerts stays one message.
 *
 * Built to be read at a glance, with nothing said twice:
 * - title "[FIRING:n] <group label values>" or "[RESOLVED] ..." (Alertmanager's own default
 *   title); the colour is green when resolved, else the worst severity label of the firing
 *   alerts: critical and the like red, warning amber, info blue; red when no alert has a
 *   severity we know, as Alertmanager's default templates colour any firing group "danger";
 * - text: the common summary (or description) annotation;
 * - one section with what all alerts share (the common labels, except an alertname already in
 *   the title, and the other common annotations), said once instead of in every alert;
 * - one section per alert, firing ones first (at most what fits, then "... and N more alerts"):
 *   headed by its own summary or alertname when those differ between alerts, "resolved" when a
 *   firing group also carries resolved alerts; as facts only the labels and annotations that
 *   differ, Started and (resolved) Ended as ISO 8601 UTC times (the client shows them relative,
 *   exact on hover) and how long it lasted; its one link, Source (generatorURL);
 * - card links: Open Alertmanager, Silence (while firing: a new silence matching the common
 *   labels) and Runbook when all alerts share an http(s) runbook_url annotation.
 */
#include "services/internal.h"

#include "cards/cards.h"
#include "core/buf.h"
#include "net/url.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FACTS_PER_ALERT 20

static sb_err url_escape(struct sb_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";

    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char enc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
        bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                     (*p >= '0' && *p <= '9') || strchr("-_.~", *p);
        if (sb_buf_append(b, plain ? (const char *)p : enc, plain ? 1 : 3) != SB_OK)
            return SB_ERR_NOMEM;
    }
    return SB_OK;
}

/* {a="b",c="d"} of the labels (values escaped as PromQL strings), URL-encoded. */
static sb_err silence_url(const char *base, const json_t *labels, char **out)
{
    struct sb_buf matcher = {0}, url = {0};
    const char *key;
    const json_t *v;
    sb_err err = SB_OK;
    bool first = true;

    *out = NULL;
    err = sb_buf_puts(&matcher, "{");
    json_object_foreach((json_t *)labels, key, v)
    {
        const char *s = json_string_value(v);
        if (!s || err)
            continue;
        err = sb_buf_printf(&matcher, "%s%s=\"", first ? "" : ",", key);
        for (; *s && !err; s++)
            err = *s == '"' || *s == '\\' ? sb_buf_printf(&matcher, "\\%c", *s)
                                          : sb_buf_append(&matcher, s, 1);
        if (!err)
            err = sb_buf_puts(&matcher, "\"");
        first = false;
    }
    if (!err)
        err = sb_buf_puts(&matcher, "}");
    if (!err)
        err = sb_buf_printf(&url, "%s/#/silences/new?filter=", base);
    if (!err)
        err = url_escape(&url, matcher.data);
    sb_buf_free(&matcher);
    if (err) {
        sb_buf_free(&url);
        return err;
    }
    *out = sb_buf_take(&url);
    return SB_OK;
}

/* Severity label values as monitoring setups spell them (Prometheus mixins, PagerDuty, Zabbix,
 * syslog levels). */
enum severity { SEV_UNKNOWN, SEV_INFO, SEV_WARNING, SEV_CRITICAL };

static enum severity severity_of(const char *s)
{
    static const char *const critical[] = {"critical", "crit",  "fatal", "emergency",
                                           "emerg",    "alert", "page",  "error",
                                           "err",      "high",  "major", "disaster"};
    static const char *const warning[] = {"warning", "warn", "medium", "average", "minor"};
    static const char *const info[] = {"info", "information", "informational", "low", "notice",
                                       "none", "ok",          "debug"};

    for (size_t i = 0; i < sizeof(critical) / sizeof(critical[0]); i++)
        if (strcasecmp(s, critical[i]) == 0)
            return SEV_CRITICAL;
    for (size_t i = 0; i < sizeof(warning) / sizeof(warning[0]); i++)
        if (strcasecmp(s, warning[i]) == 0)
            return SEV_WARNING;
    for (size_t i = 0; i < sizeof(info) / sizeof(info[0]); i++)
        if (strcasecmp(s, info[i]) == 0)
            return SEV_INFO;
    return SEV_UNKNOWN;
}

static const char *firing_color(const json_t *p)
{
    enum severity worst = severity_of(svc_str(p, "commonLabels.severity")), sev;
    const json_t *alert;
    size_t i;

    json_array_foreach(svc_get(p, "alerts"), i, alert)
    {
        sev = severity_of(svc_str(alert, "labels.severity"));
        if (strcmp(svc_str(alert, "status"), "resolved") != 0 && sev > worst)
            worst = sev;
    }
    return worst == SEV_WARNING ? COLOR_WARNING : worst == SEV_INFO ? COLOR_INFO : COLOR_FAILURE;
}

/* Whether key has the value v in the notification's common labels or annotations. */
static bool shared(const json_t *common, const char *key, const json_t *v)
{
    const json_t *c = json_object_get(common, key);
    return c && json_equal(c, v);
}

static bool is_runbook(const char *key)
{
    return strcmp(key, "runbook_url") == 0 || strcmp(key, "runbook") == 0;
}

struct notice {
    const json_t *p, *common_labels, *common_annotations;
    const char *text_key;  /* the common annotation shown as the card's text, or NULL */
    bool alertname_titled; /* the title names the alertname already */
    const char *runbook;   /* a common http(s) runbook link, or NULL */
    bool firing;
};

/* What all alerts share, once. */
static void common_section(struct svc_card *c, const struct notice *n)
{
    const json_t *v;
    const char *key;
    json_t *sec = NULL;
    int facts = 0;

    json_object_foreach((json_t *)n->common_labels, key, v)
    {
        if (!json_is_string(v) || (n->alertname_titled && strcmp(key, "alertname") == 0) ||
            facts++ >= FACTS_PER_ALERT)
            continue;
        if (!sec)
            sec = svc_card_section(c, NULL, NULL);
        svc_fact(c, sec, key, json_string_value(v));
    }
    json_object_foreach((json_t *)n->common_annotations, key, v)
    {
        if (!json_is_string(v) || (n->text_key && strcmp(key, n->text_key) == 0) ||
            (n->runbook && is_runbook(key)) || facts++ >= FACTS_PER_ALERT)
            continue;
        if (!sec)
            sec = svc_card_section(c, NULL, NULL);
        svc_fact(c, sec, key, json_string_value(v));
    }
}

static void alert_section(struct svc_card *c, const struct notice *n, const json_t *alert)
{
    const json_t *labels = svc_get(alert, "labels"), *annotations = svc_get(alert, "annotations");
    const json_t *summary = json_object_get(annotations, "summary");
    const json_t *alertname = json_object_get(labels, "alertname"), *v;
    const char *title = NULL, *title_key = NULL, *key;
    bool resolved = strcmp(svc_str(alert, "status"), "resolved") == 0;
    long long from, to;
    char lasted[48];
    json_t *sec;
    int facts = 0;

    /* Headed by what tells this alert from the others: its own summary or alertname. */
    if (json_is_string(summary) && *json_string_value(summary) &&
        !shared(n->common_annotations, "summary", summary)) {
        title = json_string_value(summary);
        title_key = "summary";
    } else if (json_is_string(alertname) && *json_string_value(alertname) &&
               !shared(n->common_labels, "alertname", alertname)) {
        title = json_string_value(alertname);
        title_key = "alertname";
    }
    sec = svc_card_section(c, title, n->firing && resolved ? "resolved" : NULL);
    json_object_foreach((json_t *)labels, key, v)
    {
        if (json_is_string(v) && !shared(n->common_labels, key, v) &&
            !(title_key && strcmp(key, title_key) == 0) && facts++ < FACTS_PER_ALERT)
            svc_fact(c, sec, key, json_string_value(v));
    }
    json_object_foreach((json_t *)annotations, key, v)
    {
        if (json_is_string(v) && !shared(n->common_annotations, key, v) &&
            !(title_key && strcmp(key, title_key) == 0) && facts++ < FACTS_PER_ALERT)
            svc_fact(c, sec, key, json_string_value(v));
    }
    svc_fact_time(c, sec, "Started", svc_str(alert, "startsAt"));
    /* Firing alerts carry endsAt "0001-01-01T00:00:00Z" or a future estimate: shown once over. */
    if (resolved) {
        svc_fact_time(c, sec, "Ended", svc_str(alert, "endsAt"));
        if (svc_time(svc_str(alert, "startsAt"), &from) &&
            svc_time(svc_str(alert, "endsAt"), &to) && to >= from) {
            svc_duration(to - from, lasted, sizeof(lasted));
            svc_fact(c, sec, "Lasted", lasted);
        }
    }
    svc_link(c, sec, "Source", svc_str(alert, "generatorURL"));
}

/* The alerts, firing ones first, in the sections left; the last one counts the rest. */
static void alert_sections(struct svc_card *c, const struct notice *n, size_t room)
{
    const json_t *alerts = svc_get(n->p, "alerts"), *alert;
    size_t total = json_array_size(alerts), shown = 0, i;
    char more[80];

    for (int pass = 0; pass < 2; pass++) {
        json_array_foreach(alerts, i, alert)
        {
            bool resolved = strcmp(svc_str(alert, "status"), "resolved") == 0;
            if (resolved != (pass == 1))
                continue;
            if (total > room && shown == room - 1) {
                snprintf(more, sizeof(more), "\xE2\x80\xA6 and %zu more alert%s", total - shown,
                         total - shown == 1 ? "" : "s");
                svc_section_text(c, svc_card_section(c, NULL, NULL), more);
                return;
            }
            alert_section(c, n, alert);
            shown++;
        }
    }
}

static sb_err title_of(const json_t *p, bool firing, size_t nfiring, bool *alertname_titled,
                       char **out)
{
    struct sb_buf title = {0};
    const json_t *v;
    const char *key;
    sb_err err;

    *alertname_titled = false;
    err =
        firing ? sb_buf_printf(&title, "[FIRING:%zu]", nfiring) : sb_buf_puts(&title, "[RESOLVED]");
    json_object_foreach((json_t *)svc_get(p, "groupLabels"), key, v)
    {
        if (!err && json_is_string(v)) {
            err = sb_buf_printf(&title, " %s", json_string_value(v));
            *alertname_titled |= strcmp(key, "alertname") == 0;
        }
    }
    if (!err && json_object_size(svc_get(p, "groupLabels")) == 0) {
        err = sb_buf_printf(&title, " %s", svc_str(p, "commonLabels.alertname"));
        *alertname_titled = true;
    }
    if (err) {
        sb_buf_free(&title);
        return err;
    }
    *out = sb_buf_take(&title);
    return SB_OK;
}

void svc_alertmanager(const json_t *p, struct svc_result *r)
{
    const json_t *alerts = svc_get(p, "alerts"), *alert, *rb;
    const char *status = svc_str(p, "status"), *external = svc_str(p, "externalURL");
    struct notice n = {
        p,    svc_get(p, "commonLabels"),     svc_get(p, "commonAnnotations"), NULL, false,
        NULL, strcmp(status, "resolved") != 0};
    size_t nfiring = 0, room = CARD_SHOWN_SECTIONS, i;
    char *title = NULL, *silence = NULL, more[80];
    struct svc_card c;

    if (!json_is_array(alerts) ||
        (strcmp(status, "firing") != 0 && strcmp(status, "resolved") != 0)) {
        svc_refuse(r, 400,
                   "This is not an Alertmanager webhook payload (status and alerts are required).");
        return;
    }
    json_array_foreach(alerts, i, alert)
    {
        nfiring += strcmp(svc_str(alert, "status"), "resolved") != 0;
    }
    if (title_of(p, n.firing, nfiring, &n.alertname_titled, &title) != SB_OK) {
        svc_refuse(r, 500, "The card could not be built.");
        return;
    }
    svc_card_init(&c, title, n.firing ? firing_color(p) : COLOR_SUCCESS);
    free(title);
    n.text_key = *svc_str(n.common_annotations, "summary")       ? "summary"
                 : *svc_str(n.common_annotations, "description") ? "description"
                                                                 : NULL;
    if (n.text_key)
        svc_card_text(&c, svc_str(n.common_annotations, n.text_key));
    rb = json_object_get(n.common_annotations, "runbook_url");
    if (!json_is_string(rb))
        rb = json_object_get(n.common_annotations, "runbook");
    if (json_is_string(rb) && net_url_link(json_string_value(rb)) == SB_OK)
        n.runbook = json_string_value(rb);
    common_section(&c, &n);
    room -= c.sections ? json_array_size(c.sections) : 0;
    room -= svc_int(p, "truncatedAlerts") > 0;
    alert_sections(&c, &n, room);
    if (svc_int(p, "truncatedAlerts") > 0) {
        snprintf(more, sizeof(more), "Alertmanager left out %lld more alerts.",
                 svc_int(p, "truncatedAlerts"));
        svc_section_text(&c, svc_card_section(&c, NULL, NULL), more);
    }
    svc_link(&c, NULL, "Open Alertmanager", external);
    if (n.firing && *external) {
        if (silence_url(external, n.common_labels, &silence) != SB_OK)
            c.failed = true;
        else
            svc_link(&c, NULL, "Silence", silence);
        free(silence);
    }
    svc_link(&c, NULL, "Runbook", n.runbook);
    svc_post(r, &c);
}
