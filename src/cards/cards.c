/*
 * cards.c: the webhook body checker (see cards.h for the contract and docs/cards.md for what is
 * accepted and why): Teams' shape rules and the entry point.
 *
 * The flow is: load the body (card_load.c), check the shape the way Teams does (here: an
 * envelope of attachments, or a MessageCard), then serialise each card as a string inside a
 * Graph-style attachment (card_output.c). Checking walks a small path buffer
 * ("sections[0].facts[1].value", card_check.c) so every refusal can name the field it is about.
 * Nothing here rewrites the sender's strings.
 */
#include "cards/internal.h"

#include "net/url.h"

#include <string.h>
#include <strings.h>

#define SUMMARY_REQUIRED "Summary or Text is required."

/* Only http and https links may be sent: anything else (javascript:, data:, file:) could run
 * or read something in the client that follows the link. Control characters, backslashes and
 * links without a host are refused (net_url_link); spaces are left for the client to encode,
 * as senders often paste job names into links. */
static bool is_http_url(const char *s)
{
    return net_url_link(s) == SB_OK;
}

/* ---- MessageCard actions ---- */

static sb_err check_target(struct card_vctx *vc, json_t *t)
{
    static const char *const oses[] = {"default", "windows", "iOS", "android"};
    const char *uri = NULL;
    json_t *os = card_member(t, "os");
    sb_err err;

    if (os) {
        bool known = false;

        if (!json_is_string(os))
            return card_bad(vc, "os", "must be a string");
        for (size_t i = 0; i < sizeof(oses) / sizeof(oses[0]); i++)
            known = known || strcasecmp(json_string_value(os), oses[i]) == 0;
        if (!known)
            return card_bad(vc, "os", "must be default, windows, iOS or android");
    }
    err = card_req_string(vc, t, "uri", &uri);
    if (err)
        return err;
    if (!is_http_url(uri))
        return card_bad(vc, "uri", "must be an http or https URL");
    return SB_OK;
}

static sb_err check_header(struct card_vctx *vc, json_t *h)
{
    const char *name;
    sb_err err = card_req_string(vc, h, "name", &name);

    return err ? err : card_opt_string(vc, h, "value");
}

static sb_err check_open_uri(struct card_vctx *vc, json_t *a)
{
    return card_check_list(vc, a, "targets", true, 1, NO_LIMIT, check_target);
}

static sb_err check_http_post(struct card_vctx *vc, json_t *a)
{
    const char *target = NULL;
    json_t *ct;
    sb_err err = card_req_string(vc, a, "target", &target);

    if (err)
        return err;
    if (!is_http_url(target))
        return card_bad(vc, "target", "must be an http or https URL");
    err = card_opt_string(vc, a, "body");
    if (err)
        return err;
    ct = card_member(a, "bodyContentType");
    if (ct && (!json_is_string(ct) ||
               (strcasecmp(json_string_value(ct), "application/json") != 0 &&
                strcasecmp(json_string_value(ct), "application/x-www-form-urlencoded") != 0)))
        return card_bad(vc, "bodyContentType",
                        "must be application/json or application/x-www-form-urlencoded");
    return card_check_list(vc, a, "headers", false, 0, NO_LIMIT, check_header);
}

static sb_err check_input(struct card_vctx *vc, json_t *in)
{
    const char *type = NULL, *id = NULL;
    sb_err err = card_req_string(vc, in, "@type", &type);

    if (err)
        return err;
    if (strcmp(type, "TextInput") != 0 && strcmp(type, "DateInput") != 0 &&
        strcmp(type, "MultichoiceInput") != 0)
        return card_bad(vc, "@type", "must be TextInput, DateInput or MultichoiceInput");
    return card_req_string(vc, in, "id", &id);
}

/* An action inside an ActionCard: Teams allows only links and posts there, no nesting. */
static sb_err check_inner_action(struct card_vctx *vc, json_t *a)
{
    const char *type = NULL;
    sb_err err = card_req_string(vc, a, "@type", &type);

    if (!err)
        err = card_opt_string(vc, a, "name");
    if (err)
        return err;
    if (strcmp(type, "OpenUri") == 0)
        return check_open_uri(vc, a);
    if (strcmp(type, "HttpPOST") == 0)
        return check_http_post(vc, a);
    return card_bad(vc, "@type", "must be OpenUri or HttpPOST inside an ActionCard");
}

static sb_err check_action_card(struct card_vctx *vc, json_t *a)
{
    sb_err err = card_check_list(vc, a, "inputs", false, 0, NO_LIMIT, check_input);

    return err ? err
               : card_check_list(vc, a, "actions", false, 0, CARD_MAX_ACTIONS, check_inner_action);
}

static sb_err check_action(struct card_vctx *vc, json_t *a)
{
    const char *type = NULL;
    sb_err err = card_req_string(vc, a, "@type", &type);

    if (!err)
        err = card_opt_string(vc, a, "name");
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
    return card_bad(vc, "@type", "must be OpenUri, HttpPOST, ActionCard or InvokeAddInCommand");
}

/* ---- MessageCard ---- */

static sb_err check_fact(struct card_vctx *vc, json_t *f)
{
    static const char *const keys[] = {"name", "value", NULL};

    return card_opt_strings(vc, f, keys);
}

static sb_err check_image(struct card_vctx *vc, json_t *img)
{
    return card_opt_string(vc, img, "image");
}

static sb_err check_section(struct card_vctx *vc, json_t *s)
{
    static const char *const keys[] = {"activityTitle",
                                       "activitySubtitle",
                                       "activityText",
                                       "activityImage",
                                       "text",
                                       "title",
                                       NULL};
    sb_err err = card_opt_strings(vc, s, keys);

    if (!err)
        err = card_check_list(vc, s, "facts", false, 0, NO_LIMIT, check_fact);
    if (!err)
        err = card_check_list(vc, s, "images", false, 0, NO_LIMIT, check_image);
    if (!err)
        err = card_check_list(vc, s, "potentialAction", false, 0, CARD_MAX_ACTIONS, check_action);
    return err;
}

/* Every shape rule first, then Teams' one content rule: a summary or a text to show. */
static sb_err check_message_card(struct card_vctx *vc, json_t *card)
{
    static const char *const keys[] = {"summary", "text", "title", "themeColor", NULL};
    json_t *type = card_member(card, "@type");
    const char *s;
    size_t n;
    sb_err err;

    if (type && (!json_is_string(type) || strcasecmp(json_string_value(type), "MessageCard") != 0))
        return card_bad(vc, "@type", "must be \"MessageCard\"");
    err = card_opt_strings(vc, card, keys);
    if (!err)
        err = card_check_list(vc, card, "sections", false, 0, NO_LIMIT, check_section);
    if (!err)
        err =
            card_check_list(vc, card, "potentialAction", false, 0, CARD_MAX_ACTIONS, check_action);
    if (err)
        return err;
    if (!card_nonblank_member(card, "summary", &s, &n) &&
        !card_nonblank_member(card, "text", &s, &n))
        return sb_fail(vc->diag, SB_ERR_INVALID, "summaryOrTextRequired", SUMMARY_REQUIRED);
    return SB_OK;
}

static sb_err add_card(struct card_vctx *vc, json_t *content, bool adaptive)
{
    /* card_check_list bounds the attachments, so this cannot overflow; the test keeps it honest. */
    if (vc->set->n >= CARD_MAX_ATTACHMENTS)
        return card_bad_body(vc->diag, "Too many cards.");
    vc->set->cards[vc->set->n].content = content;
    vc->set->cards[vc->set->n].adaptive = adaptive;
    vc->set->n++;
    return SB_OK;
}

/* ---- the envelope and Adaptive Cards ---- */

/* Teams renders Adaptive Cards with the official renderer, which ignores what it does not
 * know; only the outer shape is checked here. */
static sb_err check_adaptive_card(struct card_vctx *vc, json_t *card)
{
    json_t *type = card_member(card, "type");
    sb_err err;

    if (!json_is_string(type) || strcmp(json_string_value(type), "AdaptiveCard") != 0)
        return card_bad(vc, "type", "must be \"AdaptiveCard\"");
    err = card_opt_array(vc, card, "body");
    if (!err)
        err = card_opt_array(vc, card, "actions");
    if (!err)
        err = card_opt_string(vc, card, "version");
    return err;
}

static sb_err check_attachment(struct card_vctx *vc, json_t *att)
{
    const char *ct = NULL;
    bool adaptive;
    json_t *content;
    size_t saved;
    sb_err err = card_req_string(vc, att, "contentType", &ct);

    if (err)
        return err;
    /* Media types are case-insensitive; the stored type is always the canonical spelling. */
    if (strcasecmp(ct, CARD_TYPE_ADAPTIVE) == 0)
        adaptive = true;
    else if (strcasecmp(ct, CARD_TYPE_MESSAGECARD) == 0)
        adaptive = false;
    else
        return card_bad(vc, "contentType", "must be %s or %s", CARD_TYPE_ADAPTIVE,
                        CARD_TYPE_MESSAGECARD);
    content = card_member(att, "content");
    if (!content)
        return card_bad(vc, "content", "is required");
    if (!json_is_object(content))
        return card_bad(vc, "content", "must be an object");
    saved = card_path_key(vc, "content");
    err = adaptive ? check_adaptive_card(vc, content) : check_message_card(vc, content);
    if (err)
        return err;
    card_path_pop(vc, saved);
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
    struct card_vctx vc = {.diag = diag, .set = set};
    sb_err err;

    if (!is_envelope(root)) {
        err = check_message_card(&vc, root);
        return err ? err : add_card(&vc, root, false);
    }
    set->envelope = root;
    err = card_opt_string(&vc, root, "summary");
    if (err)
        return err;
    return card_check_list(&vc, root, "attachments", true, 1, CARD_MAX_ATTACHMENTS,
                           check_attachment);
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
    err = card_load_root(body ? body : "", len, content_type, &root, diag);
    if (!err)
        err = check_root(root, &set, diag);
    if (!err) {
        err = card_build_output(&set, new_id, id_arg, out);
        if (err)
            card_nomem(diag);
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
    free(m->card_text);
    free(m->mentions);
    m->mentions = NULL;
    m->n_mentions = 0;
    m->summary = NULL;
    m->body = NULL;
    m->attachments = NULL;
    m->card_text = NULL;
}