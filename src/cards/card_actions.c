/*
 * card_actions.c: finding, filling and removing the service-calling actions of stored cards
 * (see card_actions.h).
 */
#include "cards/card_actions.h"

#include "cards/cards.h"
#include "core/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* The attachment's card, parsed (new reference), and whether it is an Adaptive Card. */
static json_t *attachment_card(json_t *att, bool *adaptive)
{
    const char *type = str(att, "contentType");
    json_t *content = json_object_get(att, "content");

    *adaptive = type && strcasecmp(type, CARD_TYPE_ADAPTIVE) == 0;
    if (!type || (!*adaptive && strcasecmp(type, CARD_TYPE_MESSAGECARD) != 0))
        return NULL;
    if (json_is_string(content))
        return json_loads(json_string_value(content), 0, NULL);
    return json_is_object(content) ? json_incref(content) : NULL;
}

/* RFC 6901: "/a/0/b~1c" inside card. */
static json_t *resolve_pointer(json_t *card, const char *ptr)
{
    json_t *cur = card;
    char token[256];

    if (*ptr != '/')
        return NULL;
    while (*ptr == '/' && cur) {
        size_t n = 0;
        ptr++;
        while (*ptr && *ptr != '/') {
            char c = *ptr++;
            if (c == '~') {
                if (*ptr == '0')
                    c = '~';
                else if (*ptr == '1')
                    c = '/';
                else
                    return NULL;
                ptr++;
            }
            if (n + 1 >= sizeof(token))
                return NULL;
            token[n++] = c;
        }
        token[n] = '\0';
        if (json_is_object(cur)) {
            cur = json_object_get(cur, token);
        } else if (json_is_array(cur)) {
            char *end;
            long i = strtol(token, &end, 10);
            if (!n || *end || i < 0 || (n > 1 && token[0] == '0'))
                return NULL;
            cur = json_array_get(cur, (size_t)i);
        } else {
            return NULL;
        }
    }
    return *ptr ? NULL : cur;
}

static sb_err not_found(struct sb_diag *diag)
{
    return sb_fail(diag, SB_ERR_NOT_FOUND, "actionNotFound",
                   "this message has no action with that id");
}

/* Whether v is a service-calling action whose own id is id: a MessageCard HttpPOST's "@id",
 * an Adaptive Card Action.Http's "id". */
static bool action_has_id(json_t *v, bool adaptive, const char *id)
{
    const char *own = str(v, adaptive ? "id" : "@id");
    const char *type = str(v, adaptive ? "type" : "@type");

    return own && type && strcmp(own, id) == 0 &&
           strcmp(type, adaptive ? "Action.Http" : "HttpPOST") == 0;
}

/* Counts the actions of card (at any depth, as a JSON Pointer may name them) whose id is id;
 * *found is the first. */
static size_t find_by_id(json_t *v, bool adaptive, const char *id, json_t **found)
{
    const char *key;
    json_t *child;
    size_t i, n = 0;

    if (json_is_object(v)) {
        if (action_has_id(v, adaptive, id)) {
            if (!*found)
                *found = v;
            n++;
        }
        json_object_foreach(v, key, child)
        {
            n += find_by_id(child, adaptive, id, found);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child)
        {
            n += find_by_id(child, adaptive, id, found);
        }
    }
    return n;
}

/* The action named by its own id, when exactly one action of the message has it (an id used
 * twice names neither). *card is its card (new reference), out->attachment_id its attachment. */
static json_t *action_by_id(json_t *list, const char *action_id, struct card_action *out,
                            json_t **card)
{
    json_t *att, *c, *found = NULL;
    size_t i, n = 0;

    json_array_foreach(list, i, att)
    {
        bool adaptive;
        json_t *hit = NULL;
        size_t k;

        c = attachment_card(att, &adaptive);
        k = c ? find_by_id(c, adaptive, action_id, &hit) : 0;
        if (k && !found && str(att, "id") && strlen(str(att, "id")) < sizeof(out->attachment_id)) {
            found = hit;
            *card = json_incref(c);
            out->adaptive = adaptive;
            snprintf(out->attachment_id, sizeof(out->attachment_id), "%s", str(att, "id"));
        }
        n += k;
        json_decref(c);
    }
    if (n == 1 && found)
        return found;
    json_decref(*card);
    *card = NULL;
    out->attachment_id[0] = '\0';
    return NULL;
}

/* The action named "<attachment id>:<JSON Pointer>". *card as for action_by_id. */
static json_t *action_by_pointer(json_t *list, const char *action_id, struct card_action *out,
                                 json_t **card)
{
    const char *colon = strchr(action_id, ':');
    json_t *att;
    size_t i;

    if (!colon || (size_t)(colon - action_id) >= sizeof(out->attachment_id))
        return NULL;
    snprintf(out->attachment_id, sizeof(out->attachment_id), "%.*s", (int)(colon - action_id),
             action_id);
    json_array_foreach(list, i, att)
    {
        const char *id = str(att, "id");
        if (id && strcmp(id, out->attachment_id) == 0) {
            *card = attachment_card(att, &out->adaptive);
            break;
        }
    }
    return *card ? resolve_pointer(*card, colon + 1) : NULL;
}

sb_err card_action_find(const char *attachments, const char *action_id, struct card_action *out,
                        struct sb_diag *diag)
{
    json_t *list = NULL, *att, *card = NULL, *action;
    size_t i;
    sb_err err;

    memset(out, 0, sizeof(*out));
    if (!attachments || !*action_id)
        return not_found(diag);
    list = json_loads(attachments, 0, NULL);
    action = action_by_id(list, action_id, out, &card);
    if (!action)
        action = action_by_pointer(list, action_id, out, &card);
    if (!json_is_object(action)) {
        err = not_found(diag);
        goto out;
    }
    if (out->adaptive) {
        const char *type = str(action, "type"), *method = str(action, "method");
        if (!type || strcmp(type, "Action.Http") != 0) {
            err = not_found(diag);
            goto out;
        }
        snprintf(out->method, sizeof(out->method), "%s", method ? method : "POST");
        for (char *p = out->method; *p; p++)
            if (*p >= 'a' && *p <= 'z')
                *p = (char)(*p - 'a' + 'A');
        if (strcmp(out->method, "POST") != 0 && strcmp(out->method, "GET") != 0) {
            err = sb_fail(diag, SB_ERR_INVALID, "invalidAction",
                          "Action.Http method must be GET or POST");
            goto out;
        }
        snprintf(out->content_type, sizeof(out->content_type), "application/json");
    } else {
        const char *type = str(action, "@type"), *ct = str(action, "bodyContentType");
        if (!type || strcmp(type, "HttpPOST") != 0) {
            err = not_found(diag);
            goto out;
        }
        snprintf(out->method, sizeof(out->method), "POST");
        snprintf(out->content_type, sizeof(out->content_type), "%s",
                 ct && *ct && !strpbrk(ct, "\r\n") ? ct : "application/json");
    }
    {
        const char *url = str(action, out->adaptive ? "url" : "target");
        const char *body = str(action, "body");
        json_t *headers = json_object_get(action, "headers");
        if (!url || !*url) {
            err = sb_fail(diag, SB_ERR_INVALID, "invalidAction", "the action has no target URL");
            goto out;
        }
        out->url = strdup(url);
        out->body = strdup(body ? body : "");
        out->headers = json_array();
        if (!out->url || !out->body || !out->headers) {
            err = SB_ERR_NOMEM;
            goto out;
        }
        json_array_foreach(headers, i, att)
        {
            const char *name = str(att, "name"), *value = str(att, "value");
            if (!name || !*name || strpbrk(name, ":\r\n ") || (value && strpbrk(value, "\r\n")))
                continue;
            json_array_append_new(
                out->headers, json_pack("{s:s,s:s}", "name", name, "value", value ? value : ""));
            if (strcasecmp(name, "content-type") == 0 && value && *value)
                snprintf(out->content_type, sizeof(out->content_type), "%s", value);
        }
    }
    err = SB_OK;
out:
    json_decref(card);
    json_decref(list);
    if (err)
        card_action_free(out);
    return err;
}

void card_action_free(struct card_action *a)
{
    free(a->url);
    free(a->body);
    json_decref(a->headers);
    a->url = a->body = NULL;
    a->headers = NULL;
}

enum card_subst card_subst_for(const char *content_type)
{
    if (strncasecmp(content_type, "application/json", 16) == 0 || strcasestr(content_type, "+json"))
        return CARD_SUBST_JSON;
    if (strncasecmp(content_type, "application/x-www-form-urlencoded", 33) == 0)
        return CARD_SUBST_URL;
    return CARD_SUBST_RAW;
}

static sb_err append_escaped(struct sb_buf *b, const char *v, enum card_subst mode)
{
    sb_err err = SB_OK;

    for (const unsigned char *p = (const unsigned char *)v; *p && !err; p++) {
        unsigned char c = *p;
        if (mode == CARD_SUBST_JSON) {
            if (c == '"' || c == '\\')
                err = sb_buf_printf(b, "\\%c", c);
            else if (c < 0x20)
                err = sb_buf_printf(b, "\\u%04x", c);
            else
                err = sb_buf_append(b, p, 1);
        } else if (mode == CARD_SUBST_URL) {
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                strchr("-._~", c))
                err = sb_buf_append(b, p, 1);
            else
                err = sb_buf_printf(b, "%%%02X", c);
        } else {
            err = sb_buf_append(b, p, 1);
        }
    }
    return err;
}

sb_err card_action_substitute(const char *tmpl, json_t *inputs, enum card_subst mode, char **out)
{
    struct sb_buf b = {0};
    const char *p = tmpl;
    sb_err err = sb_buf_append(&b, "", 0);

    while (!err && *p) {
        const char *open = strstr(p, "{{"), *close = open ? strstr(open + 2, "}}") : NULL;
        const char *dot;
        char id[128];
        size_t idlen;

        if (!open || !close) {
            err = sb_buf_puts(&b, p);
            break;
        }
        err = sb_buf_append(&b, p, (size_t)(open - p));
        dot = close - 6 >= open + 2 ? close - 6 : NULL; /* ".value" */
        idlen = dot ? (size_t)(dot - (open + 2)) : 0;
        if (!err && dot && strncmp(dot, ".value", 6) == 0 && idlen > 0 && idlen < sizeof(id)) {
            memcpy(id, open + 2, idlen);
            id[idlen] = '\0';
            const char *v = json_string_value(json_object_get(inputs, id));
            err = append_escaped(&b, v ? v : "", mode);
        } else if (!err) {
            /* Not a placeholder: keep the text. */
            err = sb_buf_append(&b, open, (size_t)(close + 2 - open));
        }
        p = close + 2;
    }
    if (err) {
        sb_buf_free(&b);
        return err;
    }
    *out = sb_buf_take(&b);
    return SB_OK;
}

bool card_actions_present(const char *attachments)
{
    return attachments && (strstr(attachments, "HttpPOST") || strstr(attachments, "Action.Http"));
}

static bool is_type(json_t *o, const char *key, const char *type)
{
    const char *t = str(o, key);
    return t && strcmp(t, type) == 0;
}

/* MessageCard: HttpPOST out of a potentialAction list; ActionCards lose theirs and go when
 * nothing is left. */
static void strip_potential(json_t *list, bool *changed)
{
    size_t i = 0;

    while (json_is_array(list) && i < json_array_size(list)) {
        json_t *a = json_array_get(list, i);
        if (is_type(a, "@type", "ActionCard")) {
            json_t *inner = json_object_get(a, "actions");
            strip_potential(inner, changed);
            if (json_array_size(inner) == 0) {
                json_array_remove(list, i);
                *changed = true;
                continue;
            }
        } else if (is_type(a, "@type", "HttpPOST")) {
            json_array_remove(list, i);
            *changed = true;
            continue;
        }
        i++;
    }
}

/* Adaptive Card: Action.Http out of every "actions" array, at any depth. */
static void strip_adaptive(json_t *v, bool *changed)
{
    const char *key;
    json_t *child;
    size_t i;

    if (json_is_object(v)) {
        json_object_foreach(v, key, child)
        {
            if (strcmp(key, "actions") == 0 && json_is_array(child)) {
                i = 0;
                while (i < json_array_size(child)) {
                    if (is_type(json_array_get(child, i), "type", "Action.Http")) {
                        json_array_remove(child, i);
                        *changed = true;
                    } else {
                        i++;
                    }
                }
            }
            strip_adaptive(child, changed);
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, child)
        {
            strip_adaptive(child, changed);
        }
    }
}

sb_err card_actions_strip(json_t *message, bool *changed)
{
    json_t *list = json_object_get(message, "attachments"), *att;
    size_t i;

    *changed = false;
    json_array_foreach(list, i, att)
    {
        bool adaptive, mine = false;
        json_t *card = attachment_card(att, &adaptive), *sec;
        size_t j;
        char *text;

        if (!card)
            continue;
        if (adaptive) {
            strip_adaptive(card, &mine);
        } else {
            strip_potential(json_object_get(card, "potentialAction"), &mine);
            json_array_foreach(json_object_get(card, "sections"), j, sec)
            {
                strip_potential(json_object_get(sec, "potentialAction"), &mine);
            }
        }
        if (mine) {
            text = json_dumps(card, JSON_COMPACT);
            if (!text || json_object_set_new(att, "content", json_string(text)) != 0) {
                free(text);
                json_decref(card);
                return SB_ERR_NOMEM;
            }
            free(text);
            *changed = true;
        }
        json_decref(card);
    }
    return SB_OK;
}

sb_err card_replace(const char *attachments, const char *attachment_id, const char *card_text,
                    size_t card_len, size_t max_bytes, char **out, struct sb_diag *diag)
{
    json_t *list = json_loads(attachments ? attachments : "[]", 0, NULL), *att, *card = NULL;
    json_t *target = NULL;
    bool adaptive = false;
    char *text = NULL;
    size_t i;
    sb_err err = SB_OK;

    json_array_foreach(list, i, att)
    {
        const char *id = str(att, "id");
        if (id && strcmp(id, attachment_id) == 0)
            target = att;
    }
    if (!target || !(card = attachment_card(target, &adaptive))) {
        err = sb_fail(diag, SB_ERR_NOT_FOUND, "cardNotFound", "the card is no longer there");
        goto out;
    }
    json_decref(card);
    card = NULL;
    if (card_len > max_bytes) {
        err = sb_fail(diag, SB_ERR_INVALID, "badCardUpdate",
                      "the updated card is larger than %zu bytes", max_bytes);
        goto out;
    }
    card = json_loadb(card_text, card_len, 0, NULL);
    if (!json_is_object(card)) {
        err = sb_fail(diag, SB_ERR_INVALID, "badCardUpdate",
                      "CARD-UPDATE-IN-BODY is true but the body is not a JSON card");
        goto out;
    }
    if (adaptive ? !is_type(card, "type", "AdaptiveCard")
                 : !(is_type(card, "@type", "MessageCard") ||
                     (!json_object_get(card, "type") &&
                      (str(card, "text") || str(card, "summary") || str(card, "title"))))) {
        err = sb_fail(diag, SB_ERR_INVALID, "badCardUpdate",
                      "the updated card must be %s, like the card it replaces",
                      adaptive ? "an Adaptive Card (type AdaptiveCard)"
                               : "a MessageCard (@type MessageCard)");
        goto out;
    }
    text = json_dumps(card, JSON_COMPACT);
    if (!text || json_object_set_new(target, "content", json_string(text)) != 0) {
        err = SB_ERR_NOMEM;
        goto out;
    }
    *out = json_dumps(list, JSON_COMPACT);
    if (!*out)
        err = SB_ERR_NOMEM;
out:
    free(text);
    json_decref(card);
    json_decref(list);
    return err;
}
