/*
 * translate_mail.c: Adaptive Cards -> e-mail HTML (tables, inline styles) and its text part
 * (translate.h).
 */
#include "cards/translate.h"

#include "cards/walk.h"
#include "core/buf.h"
#include "core/json.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- e-mail ------------------------------------------------------------------------------- */

struct mail {
    struct walker w;
    struct sb_buf html, text;
    bool in_facts;
};

static void esc(struct mail *m, const char *s)
{
    for (; *s; s++) {
        const char *r = *s == '<'    ? "&lt;"
                        : *s == '>'  ? "&gt;"
                        : *s == '&'  ? "&amp;"
                        : *s == '"'  ? "&quot;"
                        : *s == '\n' ? "<br>"
                                     : NULL;
        if (r ? sb_buf_puts(&m->html, r) : sb_buf_append(&m->html, s, 1))
            m->w.ok = false;
    }
}

static void mail_put(struct mail *m, const char *html)
{
    if (sb_buf_puts(&m->html, html))
        m->w.ok = false;
}

static void mail_plain(struct mail *m, const char *a, const char *b)
{
    if (sb_buf_puts(&m->text, a) || (b && sb_buf_puts(&m->text, b)) || sb_buf_puts(&m->text, "\n"))
        m->w.ok = false;
}

static void mail_facts_end(struct walker *w)
{
    struct mail *m = (struct mail *)w;

    if (m->in_facts)
        mail_put(m, "</table></td></tr>");
    m->in_facts = false;
}

static void mail_heading(struct walker *w, const char *text)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:8px 16px 4px;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:18px;font-weight:bold;color:#242424\">");
    esc(m, text);
    mail_put(m, "</td></tr>");
    mail_plain(m, text, NULL);
}

static void mail_text(struct walker *w, const char *text, bool subtle)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, subtle ? "<tr><td style=\"padding:4px 16px;font-family:Segoe UI,Arial,sans-serif;"
                         "font-size:12px;color:#616161\">"
                       : "<tr><td style=\"padding:4px 16px;font-family:Segoe UI,Arial,sans-serif;"
                         "font-size:14px;color:#242424\">");
    esc(m, text);
    mail_put(m, "</td></tr>");
    mail_plain(m, text, NULL);
}

static void mail_fact(struct walker *w, const char *title, const char *value)
{
    struct mail *m = (struct mail *)w;

    if (!m->in_facts)
        mail_put(m, "<tr><td style=\"padding:4px 16px\"><table role=\"presentation\" "
                    "cellpadding=\"0\" cellspacing=\"0\" border=\"0\">");
    m->in_facts = true;
    mail_put(m, "<tr><td style=\"padding:2px 12px 2px 0;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:14px;font-weight:bold;color:#242424;vertical-align:top\">");
    esc(m, title);
    mail_put(m, "</td><td style=\"padding:2px 0;font-family:Segoe UI,Arial,sans-serif;"
                "font-size:14px;color:#242424\">");
    esc(m, value);
    mail_put(m, "</td></tr>");
    if (sb_buf_printf(&m->text, "%s: %s\n", title, value))
        w->ok = false;
}

static void mail_image(struct walker *w, const char *url, const char *alt)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:4px 16px\"><img src=\"");
    esc(m, url);
    mail_put(m, "\" alt=\"");
    esc(m, alt ? alt : "");
    mail_put(m, "\" style=\"max-width:100%;height:auto;border:0\"></td></tr>");
    mail_plain(m, alt && *alt ? alt : "[image]", " ");
    if (sb_buf_puts(&m->text, url) || sb_buf_puts(&m->text, "\n"))
        w->ok = false;
}

static void mail_link(struct walker *w, const char *title, const char *url)
{
    struct mail *m = (struct mail *)w;

    mail_facts_end(w);
    mail_put(m, "<tr><td style=\"padding:8px 16px\"><a href=\"");
    esc(m, url);
    mail_put(m, "\" style=\"display:inline-block;padding:6px 12px;background:#5b5fc7;color:#ffffff;"
                "font-family:Segoe UI,Arial,sans-serif;font-size:14px;text-decoration:none;"
                "border-radius:4px\">");
    esc(m, title);
    mail_put(m, "</a></td></tr>");
    mail_plain(m, title, ": ");
    if (sb_buf_puts(&m->text, url) || sb_buf_puts(&m->text, "\n"))
        w->ok = false;
}

sb_err card_to_email(json_t *cards, char **html, char **text)
{
    struct mail m = {
        {mail_heading, mail_text, mail_fact, mail_facts_end, mail_image, mail_link, true},
        {0},
        {0},
        false};

    *html = *text = NULL;
    mail_put(&m, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
                 "<body style=\"margin:0;padding:16px;background:#f5f5f5\">"
                 "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
                 "border=\"0\" style=\"max-width:640px;background:#ffffff;border:1px solid "
                 "#e0e0e0;border-radius:4px\">");
    card_walk(&m.w, cards);
    mail_facts_end(&m.w);
    mail_put(&m, "</table></body></html>");
    if (sb_buf_puts(&m.text, ""))
        m.w.ok = false;
    if (!m.w.ok) {
        sb_buf_free(&m.html);
        sb_buf_free(&m.text);
        return SB_ERR_NOMEM;
    }
    *html = sb_buf_take(&m.html);
    *text = sb_buf_take(&m.text);
    return SB_OK;
}
