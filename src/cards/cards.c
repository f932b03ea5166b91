/*
 * cards.c: the webhook body checker (see cards.h for the contract and docs/cards.md for what is
 * accepted and why).
 *
 * The flow is: load the body (JSON, or a text/plain body turned into `{"text": ...}`), bound the
 * nesting, check the shape the way Teams does (an envelope of attachments, or a MessageCard),
 * then serialise each card as a string inside a Graph-style attachment. Checking walks a small
 * path buffer ("sections[0].facts[1].value") so every refusal can name the field it is about.
 * Nothing here rewrites the sender's strings: cards are re-serialised by jansson, which keeps
 * every string value exactly (only the JSON spelling of escapes and numbers may change).
 */
#include "cards/cards.h"

#include "core/buf.h"
#include "core/utf8.h"
#include "net/url.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BAD_PAYLOAD "Bad payload received by generic incoming webhook."
#define SUMMARY_REQUIRED "Summary or Text is required."
#define CARD_MAX_DEPTH 64   /* nesting levels of objects and arrays, the root counting as 1 */
#define SUMMARY_MAX 256     /* bytes of the notification summary */
#define SPACE " \t\n\r\f\v" /* what "blank" means for text, summary and a text/plain body */
#define NO_LIMIT SIZE_MAX

/* The cards found in a body, borrowed from the parsed document. */
struct card_ref {
    json_t *content;
    bool adaptive; /* an Adaptive Card, else a MessageCard (O365 connector card) */
};

struct card_set {
    struct card_ref cards[CARD_MAX_ATTACHMENTS];
    size_t n;
    json_t *envelope; /* the envelope object, for its summary; NULL for a bare MessageCard */
};

/* Where the checker is in the document, so that a refusal can name the field. */
struct vctx {
    struct sb_diag *diag;
    struct card_set *set;
    char path[192];
    size_t len;
};

typedef sb_err (*item_check)(struct vctx *vc, json_t *item);

/* ---- small text helpers ---- */

/* Trims ASCII white space on both sides of s[0..n). */
static const char *trim(const char *s, size_t *n)
{
    /* The NUL tests matter: strchr() finds the terminator of SPACE. */
    while (*n > 0 && s[0] != '\0' && strchr(SPACE, s[0])) {
        s++;
        (*n)--;
    }
    while (*n > 0 && s[*n - 1] != '\0' && strchr(SPACE, s[*n - 1]))
        (*n)--;
    return s;
}

/* "text/plain", any case, alone or followed by parameters ("; charset=utf-8"). */
static bool is_text_plain(const char *ct)
{
    static const char tp[] = "text/plain";
    char next;

    if (!ct)
        return false;
    ct += strspn(ct, " \t");
    if (strncasecmp(ct, tp, sizeof(tp) - 1) != 0)
        return false;
    next = ct[sizeof(tp) - 1];
    return next == '\0' || next == ';' || next == ' ' || next == '\t';
}

/* Only http and https links may be sent: anything else (javascript:, data:, file:) could run
 * or read something in the client that follows the link. Control characters, backslashes and
 * links without a host are refused (net_url_link); spaces are left for the client to encode,
 * as senders often paste job names into links. */
static bool is_http_url(const char *s)
{
    return net_url_link(s) == SB_OK;
}

/* A string member, trimmed, if it has anything besides white space. */
static bool nonblank_member(json_t *obj, const char *key, const char **s, size_t *n)
{
    json_t *v = json_object_get(obj, key);

    if (!json_is_string(v))
        return false;
    *n = json_string_length(v);
    *s = trim(json_string_value(v), n);
    return *n > 0;
}

/* ---- refusals ---- */

/* Fails with the generic Teams sentence plus one naming the current path (and key, if any). */
static sb_err bad(struct vctx *vc, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static sb_err bad(struct vctx *vc, const char *key, const char *fmt, ...)
{
    char rule[160];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(rule, sizeof(rule), fmt, ap);
    va_end(ap);
    sb_fail(vc->diag, SB_ERR_INVALID, "badPayload", "%s %s%s%s %s.", BAD_PAYLOAD, vc->path,
            key && vc->len ? "." : "", key ? key : "", rule);
    return SB_ERR_INVALID;
}

/* Fails with the generic Teams sentence plus a sentence about the body as a whole. */
static sb_err bad_body(struct sb_diag *diag, const char *sentence)
{
    sb_fail(diag, SB_ERR_INVALID, "badPayload", "%s %s", BAD_PAYLOAD, sentence);
    return SB_ERR_INVALID;
}

static sb_err nomem(struct sb_diag *diag)
{
    return sb_fail(diag, SB_ERR_NOMEM, "internalError", "out of memory");
}

/* ---- the path ---- */

static void path_grow(struct vctx *vc, int n)
{
    if (n > 0)
        vc->len += (size_t)n;
    if (vc->len >= sizeof(vc->path))
        vc->len = sizeof(vc->path) - 1; /* snprintf truncated; keep len on the NUL */
}

static size_t path_key(struct vctx *vc, const char *key)
{
    size_t saved = vc->len;

    path_grow(vc, snprintf(vc->path + vc->len, sizeof(vc->path) - vc->len, "%s%s",
                           vc->len ? "." : "", key));
    return saved;
}

static size_t path_index(struct vctx *vc, size_t i)
{
    size_t saved = vc->len;

    path_grow(vc, snprintf(vc->path + vc->len, sizeof(vc->path) - vc->len, "[%zu]", i));
    return saved;
}

static void path_pop(struct vctx *vc, size_t saved)
{
    vc->len = saved;
    vc->path[saved] = '\0';
}

/* ---- member checks ---- */

/* Optional members: absent and null mean the same, since many serialisers write null for
 * fields they were not given. */
static json_t *member(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);

    return json_is_null(v) ? NULL : v;
}

static sb_err opt_string(struct vctx *vc, json_t *obj, const char *key)
{
    json_t *v = member(obj, key);

    if (v && !json_is_string(v))
        return bad(vc, key, "must be a string");
    return SB_OK;
}

/* Checks each of a NULL-terminated list of optional string members. */
static sb_err opt_strings(struct vctx *vc, json_t *obj, const char *const *keys)
{
    for (; *keys; keys++) {
        sb_err err = opt_string(vc, obj, *keys);
        if (err)
            return err;
    }
    return SB_OK;
}

static sb_err req_string(struct vctx *vc, json_t *obj, const char *key, const char **out)
{
    json_t *v = member(obj, key);

    /* Never leaves *out NULL, so callers may compare it even on a path they think is dead. */
    *out = "";
    if (!v)
        return bad(vc, key, "is required");
    if (!json_is_string(v) || !json_string_value(v))
        return bad(vc, key, "must be a string");
    *out = json_string_value(v);
    return SB_OK;
}

static sb_err count_rule(struct vctx *vc, const char *key, size_t min, size_t max)
{
    if (max == NO_LIMIT)
        return bad(vc, key, "must have at least %zu item%s", min, min == 1 ? "" : "s");
    if (min == 0)
        return bad(vc, key, "must have at most %zu items", max);
    return bad(vc, key, "must have %zu to %zu items", min, max);
}

/* Checks obj[key] as an array of min..max objects, calling check on each with the path set to
 * "key[i]". A missing (or null) array is fine unless required. */
static sb_err check_list(struct vctx *vc, json_t *obj, const char *key, bool required, size_t min,
                         size_t max, item_check check)
{
    json_t *arr = member(obj, key), *item;
    size_t saved, i, n;

    if (!arr)
        return required ? bad(vc, key, "is required") : SB_OK;
    if (!json_is_array(arr))
        return bad(vc, key, "must be an array");
    n = json_array_size(arr);
    if (n < min || n > max)
        return count_rule(vc, key, min, max);
    /* On a refusal the path is left as it was: the message is already written and the check
     * stops there. */
    saved = path_key(vc, key);
    json_array_foreach(arr, i, item)
    {
        size_t at = path_index(vc, i);
        sb_err err = json_is_object(item) ? check(vc, item) : bad(vc, NULL, "must be an object");

        if (err)
            return err;
        path_pop(vc, at);
    }
    path_pop(vc, saved);
    return SB_OK;
}

static sb_err opt_array(struct vctx *vc, json_t *obj, const char *key)
{
    json_t *v = member(obj, key);

    if (v && !json_is_array(v))
        return bad(vc, key, "must be an array");
    return SB_OK;
}

/* ---- MessageCard actions ---- */

static sb_err check_target(struct vctx *vc, json_t *t)
{
    static const char *const oses[] = {"default", "windows", "iOS", "android"};
    const char *uri = NULL;
    json_t *os = member(t, "os");
    sb_err err;

    if (os) {
        bool known = false;

        if (!json_is_string(os))
            return bad(vc, "os", "must be a string");
        for (size_t i = 0; i < sizeof(oses) / sizeof(oses[0]); i++)
            known = known || strcasecmp(json_string_value(os), oses[i]) == 0;
        if (!known)
            return bad(vc, "os", "must be default, windows, iOS or android");
    }
    err = req_string(vc, t, "uri", &uri);
    if (err)
        return err;
    if (!is_http_url(uri))
        return bad(vc, "uri", "must be an http or https URL");
    return SB_OK;
}

static sb_err check_header(struct vctx *vc, json_t *h)
{
    const char *name;
    sb_err err = req_string(vc, h, "name", &name);

    return err ? err : opt_string(vc, h, "value");
}

static sb_err check_open_uri(struct vctx *vc, json_t *a)
{
    return check_list(vc, a, "targets", true, 1, NO_LIMIT, check_target);
}

static sb_err check_http_post(struct vctx *vc, json_t *a)
{
    const char *target = NULL;
    json_t *ct;
    sb_err err = req_string(vc, a, "target", &target);

    if (err)
        return err;
    if (!is_http_url(target))
        return bad(vc, "target", "must be an http or https URL");
    err = opt_string(vc, a, "body");
    if (err)
        return err;
    ct = member(a, "bodyContentType");
    if (ct && (!json_is_string(ct) ||
               (strcasecmp(json_string_value(ct), "application/json") != 0 &&
                strcasecmp(json_string_value(ct), "application/x-www-form-urlencoded") != 0)))
        return bad(vc, "bodyContentType",
                   "must be application/json or application/x-www-form-urlencoded");
    return check_list(vc, a, "headers", false, 0, NO_LIMIT, check_header);
}

static sb_err check_input(struct vctx *vc, json_t *in)
{
    const char *type = NULL, *id = NULL;
    sb_err err = req_string(vc, in, "@type", &type);

    if (err)
        return err;
    if (strcmp(type, "TextInput") != 0 && strcmp(type, "DateInput") != 0 &&
        strcmp(type, "MultichoiceInput") != 0)
        return bad(vc, "@type", "must be TextInput, DateInput or MultichoiceInput");
    return req_string(vc, in, "id", &id);
}

/* An action inside an ActionCard: Teams allows only links and posts there, no nesting. */
static sb_err check_inner_action(struct vctx *vc, json_t *a)
{
    const char *type = NULL;
    sb_err err = req_string(vc, a, "@type", &type);

    if (!err)
        err = opt_string(vc, a, "name");
    if (err)
        return err;
    if (strcmp(type, "OpenUri") == 0)
        return check_open_uri(vc, a);
    if (strcmp(type, "HttpPOST") == 0)
        return check_http_post(vc, a);
    return bad(vc, "@type", "must be OpenUri or HttpPOST inside an ActionCard");
}

static sb_err check_action_card(struct vctx *vc, json_t *a)
{
    sb_err err = check_list(vc, a, "inputs", false, 0, NO_LIMIT, check_input);

    return err ? err : check_list(vc, a, "actions", false, 0, CARD_MAX_ACTIONS, check_inner_action);
}

static sb_err check_action(struct vctx *vc, json_t *a)
{
    const char *type = NULL;
    sb_err err = req_string(vc, a, "@type", &type);

    if (!err)
        err = opt_string(vc, a, "name");
    if (err)
        return err;
    if (strcmp(type, "OpenUri") == 0)
        return check_open_uri(vc, a);
    if (strcmp(type, "HttpPOST") == 0)
        return check_http_post(vc, a);
    if (strcmp(type, "ActionCard") == 0)
        return check_action_card(vc, a);
    if (strcmp(type, "InvokeAddInCommand") == 0)
        return SB_OK; /* an Outlook add-in command: nothing a Teams client shows or runs */
    return bad(vc, "@type", "must be OpenUri, HttpPOST, ActionCard or InvokeAddInCommand");
}

/* ---- MessageCard ---- */

static sb_err check_fact(struct vctx *vc, json_t *f)
{
    static const char *const keys[] = {"name", "value", NULL};

    return opt_strings(vc, f, keys);
}

static sb_err check_image(struct vctx *vc, json_t *img)
{
    return opt_string(vc, img, "image");
}

static sb_err check_section(struct vctx *vc, json_t *s)
{
    static const char *const keys[] = {"activityTitle",
                                       "activitySubtitle",
                                       "activityText",
                                       "activityImage",
                                       "text",
                                       "title",
                                       NULL};
    sb_err err = opt_strings(vc, s, keys);

    if (!err)
        err = check_list(vc, s, "facts", false, 0, NO_LIMIT, check_fact);
    if (!err)
        err = check_list(vc, s, "images", false, 0, NO_LIMIT, check_image);
    if (!err)
        err = check_list(vc, s, "potentialAction", false, 0, CARD_MAX_ACTIONS, check_action);
    return err;
}

/* Every shape rule first, then Teams' one content rule: a summary or a text to show. */
static sb_err check_message_card(struct vctx *vc, json_t *card)
{
    static const char *const keys[] = {"summary", "text", "title", "themeColor", NULL};
    json_t *type = member(card, "@type");
    const char *s;
    size_t n;
    sb_err err;

    if (type && (!json_is_string(type) || strcasecmp(json_string_value(type), "MessageCard") != 0))
        return bad(vc, "@type", "must be \"MessageCard\"");
    err = opt_strings(vc, card, keys);
    if (!err)
        err = check_list(vc, card, "sections", false, 0, CARD_MAX_SECTIONS, check_section);
    if (!err)
        err = check_list(vc, card, "potentialAction", false, 0, CARD_MAX_ACTIONS, check_action);
    if (err)
        return err;
    if (!nonblank_member(card, "summary", &s, &n) && !nonblank_member(card, "text", &s, &n))
        return sb_fail(vc->diag, SB_ERR_INVALID, "summaryOrTextRequired", SUMMARY_REQUIRED);
    return SB_OK;
}

static sb_err add_card(struct vctx *vc, json_t *content, bool adaptive)
{
    /* check_list bounds the attachments, so this cannot overflow; the test keeps it honest. */
    if (vc->set->n >= CARD_MAX_ATTACHMENTS)
        return bad_body(vc->diag, "Too many cards.");
    vc->set->cards[vc->set->n].content = content;
    vc->set->cards[vc->set->n].adaptive = adaptive;
    vc->set->n++;
    return SB_OK;
}

/* ---- the envelope and Adaptive Cards ---- */

/* Teams renders Adaptive Cards with the official renderer, which ignores what it does not
 * know; only the outer shape is checked here. */
static sb_err check_adaptive_card(struct vctx *vc, json_t *card)
{
    json_t *type = member(card, "type");
    sb_err err;

    if (!json_is_string(type) || strcmp(json_string_value(type), "AdaptiveCard") != 0)
        return bad(vc, "type", "must be \"AdaptiveCard\"");
    err = opt_array(vc, card, "body");
    if (!err)
        err = opt_array(vc, card, "actions");
    if (!err)
        err = opt_string(vc, card, "version");
    return err;
}

static sb_err check_attachment(struct vctx *vc, json_t *att)
{
    const char *ct = NULL;
    bool adaptive;
    json_t *content;
    size_t saved;
    sb_err err = req_string(vc, att, "contentType", &ct);

    if (err)
        return err;
    /* Media types are case-insensitive; the stored type is always the canonical spelling. */
    if (strcasecmp(ct, CARD_TYPE_ADAPTIVE) == 0)
        adaptive = true;
    else if (strcasecmp(ct, CARD_TYPE_MESSAGECARD) == 0)
        adaptive = false;
    else
        return bad(vc, "contentType", "must be %s or %s", CARD_TYPE_ADAPTIVE,
                   CARD_TYPE_MESSAGECARD);
    content = member(att, "content");
    if (!content)
        return bad(vc, "content", "is required");
    if (!json_is_object(content))
        return bad(vc, "content", "must be an object");
    saved = path_key(vc, "content");
    err = adaptive ? check_adaptive_card(vc, content) : check_message_card(vc, content);
    if (err)
        return err;
    path_pop(vc, saved);
    return add_card(vc, content, adaptive);
}

static bool is_envelope(json_t *root)
{
    json_t *type = json_object_get(root, "type");

    return json_is_string(type) && strcmp(json_string_value(type), "message") == 0 &&
           json_object_get(root, "attachments") != NULL;
}

static sb_err check_root(json_t *root, struct card_set *set, struct sb_diag *diag)
{
    struct vctx vc = {.diag = diag, .set = set};
    sb_err err;

    if (!is_envelope(root)) {
        err = check_message_card(&vc, root);
        return err ? err : add_card(&vc, root, false);
    }
    set->envelope = root;
    err = opt_string(&vc, root, "summary");
    if (err)
        return err;
    return check_list(&vc, root, "attachments", true, 1, CARD_MAX_ATTACHMENTS, check_attachment);
}

/* ---- loading ---- */

/* True when v nests more than CARD_MAX_DEPTH containers. Stops descending at the limit, so the
 * recursion (and every later walk over an accepted card) stays bounded. */
static bool too_deep(json_t *v, int level)
{
    const char *key;
    json_t *item;
    size_t i;

    if (!json_is_object(v) && !json_is_array(v))
        return false;
    if (level > CARD_MAX_DEPTH)
        return true;
    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (too_deep(item, level + 1))
                return true;
        }
        return false;
    }
    json_object_foreach(v, key, item)
    {
        if (too_deep(item, level + 1))
            return true;
    }
    return false;
}

/* A text/plain body becomes the MessageCard `{"text": body}`, exactly as sent (load_root has
 * already refused a blank one). */
static sb_err text_card(const char *body, size_t len, json_t **out, struct sb_diag *diag)
{
    json_t *card, *text;

    if (memchr(body, '\0', len))
        return bad_body(diag, "The text/plain body must not contain NUL characters.");
    if (!sb_utf8_valid(body, len))
        return bad_body(diag, "The text/plain body is not valid UTF-8.");
    card = json_object();
    text = json_stringn(body, len);
    if (!card || !text || json_object_set_new(card, "text", text) != 0) {
        json_decref(card);
        if (!card)
            json_decref(text);
        return nomem(diag);
    }
    *out = card;
    return SB_OK;
}

/* jansson's message may quote the offending input; keep only printable ASCII of it so that
 * the answer stays valid text whatever was sent. */
static void clean_text(char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7F)
            *s = '?';
}

static sb_err load_root(const char *body, size_t len, const char *content_type, json_t **out,
                        struct sb_diag *diag)
{
    json_error_t jerr;
    json_t *v;
    size_t n = len;

    *out = NULL;
    trim(body, &n);
    if (n == 0)
        return bad_body(diag, "The body is empty.");
    /* JSON_DECODE_ANY so that a scalar body gets "must be a JSON object", not a syntax error. */
    v = json_loadb(body, len, JSON_DECODE_ANY, &jerr);
    if (is_text_plain(content_type) && !json_is_object(v)) {
        json_decref(v);
        return text_card(body, len, out, diag);
    }
    if (!v) {
        clean_text(jerr.text);
        return sb_fail(diag, SB_ERR_INVALID, "badPayload",
                       "%s The body is not valid JSON (line %d, column %d: %s).", BAD_PAYLOAD,
                       jerr.line, jerr.column, jerr.text);
    }
    if (!json_is_object(v)) {
        json_decref(v);
        return bad_body(diag, "The body must be a JSON object.");
    }
    if (too_deep(v, 1)) {
        json_decref(v);
        return sb_fail(diag, SB_ERR_INVALID, "badPayload",
                       "%s The JSON nests deeper than %d levels.", BAD_PAYLOAD, CARD_MAX_DEPTH);
    }
    *out = v;
    return SB_OK;
}

/* ---- output ---- */

/* The first TextBlock with visible text, depth first in document order (jansson keeps the
 * order of keys). Bounded by the depth check done at load. */
static bool find_text_block(json_t *v, const char **s, size_t *n)
{
    const char *key;
    json_t *item, *type;
    size_t i;

    if (json_is_array(v)) {
        json_array_foreach(v, i, item)
        {
            if (find_text_block(item, s, n))
                return true;
        }
        return false;
    }
    if (!json_is_object(v))
        return false;
    type = json_object_get(v, "type");
    if (json_is_string(type) && strcmp(json_string_value(type), "TextBlock") == 0 &&
        nonblank_member(v, "text", s, n))
        return true;
    json_object_foreach(v, key, item)
    {
        if (find_text_block(item, s, n))
            return true;
    }
    return false;
}

/* Picks the notification text: the envelope's summary, else the first card's summary, title
 * or text (MessageCard) or first TextBlock (Adaptive Card), else "Card". */
static void summary_source(const struct card_set *set, const char **s, size_t *n)
{
    json_t *card = set->cards[0].content;

    if (set->envelope && nonblank_member(set->envelope, "summary", s, n))
        return;
    if (!set->cards[0].adaptive) {
        if (nonblank_member(card, "summary", s, n) || nonblank_member(card, "title", s, n) ||
            nonblank_member(card, "text", s, n))
            return;
    } else if (find_text_block(json_object_get(card, "body"), s, n)) {
        return;
    }
    *s = "Card";
    *n = 4;
}

static sb_err make_summary(const struct card_set *set, char **out)
{
    const char *s;
    size_t n;

    summary_source(set, &s, &n);
    if (n > SUMMARY_MAX) {
        n = sb_utf8_prefix_bytes(s, SUMMARY_MAX);
        s = trim(s, &n);
    }
    *out = strndup(s, n);
    return *out ? SB_OK : SB_ERR_NOMEM;
}

static sb_err add_attachment(json_t *arr, const char *id, const struct card_ref *card)
{
    char *content = json_dumps(card->content, JSON_COMPACT);
    json_t *att;

    if (!content)
        return SB_ERR_NOMEM;
    att = json_pack("{s:s, s:s, s:s, s:n}", "id", id, "contentType",
                    card->adaptive ? CARD_TYPE_ADAPTIVE : CARD_TYPE_MESSAGECARD, "content", content,
                    "name");
    free(content);
    if (!att || json_array_append_new(arr, att) != 0)
        return SB_ERR_NOMEM;
    return SB_OK;
}

static sb_err build_output(const struct card_set *set, void (*new_id)(void *arg, char out[37]),
                           void *id_arg, struct card_message *out)
{
    json_t *arr = json_array();
    struct sb_buf body = {0};
    sb_err err = SB_ERR_NOMEM;

    if (!arr)
        goto out;
    for (size_t i = 0; i < set->n; i++) {
        char id[SB_ID_LEN + 1] = {0};

        new_id(id_arg, id);
        id[SB_ID_LEN] = '\0';
        err = add_attachment(arr, id, &set->cards[i]);
        if (!err)
            err = sb_buf_printf(&body, "<attachment id=\"%s\"></attachment>", id);
        if (err)
            goto out;
    }
    err = SB_ERR_NOMEM;
    out->attachments = json_dumps(arr, JSON_COMPACT);
    out->body = sb_buf_take(&body);
    if (!out->attachments || !out->body)
        goto out;
    err = make_summary(set, &out->summary);
out:
    json_decref(arr);
    sb_buf_free(&body);
    return err;
}

/* ---- the interface ---- */

sb_err card_message_parse(const char *body, size_t len, const char *content_type,
                          void (*new_id)(void *arg, char out[37]), void *id_arg,
                          struct card_message *out, struct sb_diag *diag)
{
    struct card_set set;
    json_t *root = NULL;
    sb_err err;

    memset(out, 0, sizeof(*out));
    memset(&set, 0, sizeof(set));
    if (!body)
        len = 0;
    err = load_root(body ? body : "", len, content_type, &root, diag);
    if (!err)
        err = check_root(root, &set, diag);
    if (!err) {
        err = build_output(&set, new_id, id_arg, out);
        if (err)
            nomem(diag);
    }
    json_decref(root);
    if (err)
        card_message_free(out);
    return err;
}

void card_message_free(struct card_message *m)
{
    if (!m)
        return;
    free(m->summary);
    free(m->body);
    free(m->attachments);
    m->summary = NULL;
    m->body = NULL;
    m->attachments = NULL;
}
