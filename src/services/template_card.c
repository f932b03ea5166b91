/*
 * template_card.c: the template connector's card (service_template_card in services.h): the
 * configuration's template rendered over the posted payload (template.c), giving an Adaptive
 * Card (wrapped in the message envelope webhooks accept), a MessageCard as written, or the
 * simple form {title, text, summary, themeColor, facts, links} built as a MessageCard.
 */
#include "services/services.h"

#include "services/internal.h"
#include "services/template.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Colour words people write in templates, mapped to the card colours; hex passes through. */
static const char *color_of(const char *s)
{
    static const struct {
        const char *word, *hex;
    } words[] = {
        {"good", COLOR_SUCCESS},     {"green", COLOR_SUCCESS},   {"success", COLOR_SUCCESS},
        {"resolved", COLOR_SUCCESS}, {"ok", COLOR_SUCCESS},      {"danger", COLOR_FAILURE},
        {"red", COLOR_FAILURE},      {"failure", COLOR_FAILURE}, {"failed", COLOR_FAILURE},
        {"error", COLOR_FAILURE},    {"firing", COLOR_FAILURE},  {"critical", COLOR_FAILURE},
        {"warning", COLOR_WARNING},  {"yellow", COLOR_WARNING},  {"info", COLOR_INFO},
        {"blue", COLOR_INFO},
    };

    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (strcasecmp(words[i].word, s) == 0)
            return words[i].hex;
    return s;
}

/* The simple form {title, text, summary, themeColor, facts, links} as a MessageCard. */
static sb_err simple_card(const json_t *t, json_t **out)
{
    const json_t *facts = json_object_get(t, "facts"), *links = json_object_get(t, "links"), *v;
    const char *title = svc_str(t, "title"), *key;
    struct svc_card c;
    json_t *sec = NULL;
    char *text = NULL;
    size_t i;

    svc_card_init(&c,
                  *title                   ? title
                  : *svc_str(t, "summary") ? svc_str(t, "summary")
                                           : svc_str(t, "text"),
                  color_of(svc_str(t, "themeColor")));
    if (!*title)
        json_object_del(c.root, "title");
    if (*svc_str(t, "summary"))
        json_object_set_new(c.root, "summary", json_string(svc_str(t, "summary")));
    svc_card_text(&c, svc_str(t, "text"));
    if (json_object_size(facts) || json_array_size(facts))
        sec = svc_card_section(&c, NULL, NULL);
    if (json_is_object(facts)) {
        json_object_foreach((json_t *)facts, key, v)
        {
            svc_fact(&c, sec, key, json_string_value(v));
        }
    } else {
        json_array_foreach(facts, i, v)
        {
            svc_fact(&c, sec, svc_str(v, "name"), svc_str(v, "value"));
        }
    }
    json_array_foreach(links, i, v)
    {
        svc_link(&c, NULL, *svc_str(v, "name") ? svc_str(v, "name") : "Open", svc_str(v, "url"));
    }
    if (*svc_str(t, "link"))
        svc_link(&c, NULL, *svc_str(t, "linkName") ? svc_str(t, "linkName") : "Open",
                 svc_str(t, "link"));
    if (svc_card_finish(&c, &text) != SB_OK)
        return SB_ERR_NOMEM;
    *out = json_loads(text, 0, NULL);
    free(text);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

sb_err service_template_card(const json_t *tmpl, const json_t *sample, json_t **card,
                             struct sb_diag *diag)
{
    json_t *rendered = NULL, *inner;
    sb_err err;

    *card = NULL;
    if (!json_is_object(tmpl))
        return sb_fail(diag, SB_ERR_INVALID, "invalidTemplate", "template must be an object");
    err = template_render(tmpl, sample, &rendered, diag);
    if (err)
        return err;
    inner = json_object_get(rendered, "card");
    if (json_is_object(inner) && strcmp(svc_str(inner, "type"), "AdaptiveCard") == 0) {
        /* An Adaptive Card goes in the message envelope webhooks accept. */
        *card = json_pack("{s:s,s:[{s:s,s:O}]}", "type", "message", "attachments", "contentType",
                          "application/vnd.microsoft.card.adaptive", "content", inner);
        err = *card ? SB_OK : SB_ERR_NOMEM;
    } else if (json_is_object(inner)) {
        *card = json_incref(inner);
    } else {
        err = simple_card(rendered, card);
    }
    json_decref(rendered);
    return err;
}
