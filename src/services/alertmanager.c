/*
 * alertmanager.c: a Prometheus Alertmanager notification (webhook_configs, payload version 4)
 * as one MessageCard: a group of alerts stays one message.
 *
 * Title "[FIRING:n] <group labels>" or "[RESOLVED] ...", red while firing and green when
 * resolved; the common summary/description as text; one section per alert (labels and
 * annotations as facts, start and end times, a link to its generator URL), at most nine, then
 * a line counting the rest; links to Alertmanager and to a new silence matching the group's
 * common labels.
 */
#include "services/internal.h"

#include "cards/cards.h"
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static void alert_section(struct svc_card *c, const json_t *alert)
{
    const json_t *labels = svc_get(alert, "labels"), *annotations = svc_get(alert, "annotations");
    const char *status = svc_str(alert, "status"), *key;
    char title[400];
    const json_t *v;
    json_t *sec;
    int facts = 0;

    snprintf(title, sizeof(title), "%s \xE2\x80\x94 %s",
             *svc_str(labels, "alertname") ? svc_str(labels, "alertname") : "alert",
             strcmp(status, "resolved") == 0 ? "resolved" : "firing");
    sec = svc_card_section(c, title, NULL);
    json_object_foreach((json_t *)labels, key, v)
    {
        if (strcmp(key, "alertname") != 0 && json_is_string(v) && facts++ < FACTS_PER_ALERT)
            svc_fact(c, sec, key, json_string_value(v));
    }
    json_object_foreach((json_t *)annotations, key, v)
    {
        if (json_is_string(v) && facts++ < FACTS_PER_ALERT)
            svc_fact(c, sec, key, json_string_value(v));
    }
    svc_fact(c, sec, "Started", svc_str(alert, "startsAt"));
    /* Firing alerts carry endsAt "0001-01-01T00:00:00Z" or a future estimate: shown once over. */
    if (strcmp(status, "resolved") == 0)
        svc_fact(c, sec, "Ended", svc_str(alert, "endsAt"));
    svc_link(c, sec, "Source", svc_str(alert, "generatorURL"));
}

void svc_alertmanager(const json_t *p, struct svc_result *r)
{
    const json_t *alerts = svc_get(p, "alerts"), *alert, *v;
    const char *status = svc_str(p, "status"), *external = svc_str(p, "externalURL"), *key;
    bool firing = strcmp(status, "resolved") != 0;
    size_t n = json_array_size(alerts), nfiring = 0, i;
    struct sb_buf title = {0};
    char *silence = NULL, more[80];
    struct svc_card c;
    sb_err err;

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
    err =
        firing ? sb_buf_printf(&title, "[FIRING:%zu]", nfiring) : sb_buf_puts(&title, "[RESOLVED]");
    json_object_foreach((json_t *)svc_get(p, "groupLabels"), key, v)
    {
        if (!err && json_is_string(v))
            err = sb_buf_printf(&title, " %s", json_string_value(v));
    }
    if (!err && json_object_size(svc_get(p, "groupLabels")) == 0)
        err = sb_buf_printf(&title, " %s", svc_str(p, "commonLabels.alertname"));
    if (err) {
        sb_buf_free(&title);
        svc_refuse(r, 500, "The card could not be built.");
        return;
    }
    svc_card_init(&c, title.data, firing ? COLOR_FAILURE : COLOR_SUCCESS);
    sb_buf_free(&title);
    svc_card_text(&c, *svc_str(p, "commonAnnotations.summary")
                          ? svc_str(p, "commonAnnotations.summary")
                          : svc_str(p, "commonAnnotations.description"));
    json_array_foreach(alerts, i, alert)
    {
        if (i == CARD_MAX_SECTIONS - 1 && n > CARD_MAX_SECTIONS) {
            snprintf(more, sizeof(more), "\xE2\x80\xA6 and %zu more alert%s", n - i,
                     n - i == 1 ? "" : "s");
            svc_section_text(&c, svc_card_section(&c, NULL, NULL), more);
            break;
        }
        alert_section(&c, alert);
    }
    if (svc_int(p, "truncatedAlerts") > 0) {
        snprintf(more, sizeof(more), "Alertmanager left out %lld more alerts.",
                 svc_int(p, "truncatedAlerts"));
        svc_section_text(&c, svc_card_section(&c, NULL, NULL), more);
    }
    svc_link(&c, NULL, "Open Alertmanager", external);
    if (firing && *external) {
        if (silence_url(external, svc_get(p, "commonLabels"), &silence) != SB_OK)
            c.failed = true;
        else
            svc_link(&c, NULL, "Silence", silence);
        free(silence);
    }
    svc_post(r, &c);
}
