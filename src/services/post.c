/*
 * post.c: what a service posts, checked and turned into a card (service_card and
 * service_transform in services.h): GitHub's X-Hub-Signature-256 (HMAC-SHA256 of the raw body)
 * or GitLab's X-Gitlab-Token under the configuration's secret, compared in constant time; the
 * event header; the body as JSON (or GitHub's form-encoded "payload" field); then the kind's
 * card builder. A refusal carries the HTTP status and a sentence for the sender.
 */
#include "services/services.h"

#include "services/internal.h"
#include "store/connectors.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the raw body under the secret. */
static bool github_signed(const char *secret, const char *header, const char *body, size_t len)
{
    unsigned char want[crypto_auth_hmacsha256_BYTES], got[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    size_t got_len = 0;

    if (!header || strncmp(header, "sha256=", 7) != 0 || strlen(header + 7) != 2 * sizeof(got) ||
        sodium_hex2bin(got, sizeof(got), header + 7, 2 * sizeof(got), NULL, &got_len, NULL) != 0 ||
        got_len != sizeof(got))
        return false;
    crypto_auth_hmacsha256_init(&st, (const unsigned char *)secret, strlen(secret));
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&st, want);
    return sodium_memcmp(want, got, sizeof(want)) == 0;
}

/* Compares hashes of both so that the time taken says nothing about the secret, length
 * included. */
static bool token_equal(const char *secret, const char *token)
{
    unsigned char a[32], b[32];

    if (!token)
        return false;
    crypto_generichash(a, sizeof(a), (const unsigned char *)secret, strlen(secret), NULL, 0);
    crypto_generichash(b, sizeof(b), (const unsigned char *)token, strlen(token), NULL, 0);
    return sodium_memcmp(a, b, sizeof(a)) == 0;
}

/* GitHub's default content type: the JSON is the form field "payload" (the signature covers
 * the encoded body). Returns the decoded JSON text (heap) or NULL when body is not that. */
static char *form_payload(const char *content_type, const char *body, size_t len)
{
    static const char ct[] = "application/x-www-form-urlencoded";
    char *out, *w;

    if (!content_type || strncasecmp(content_type, ct, sizeof(ct) - 1) != 0 || len < 8 ||
        memcmp(body, "payload=", 8) != 0)
        return NULL;
    out = malloc(len);
    if (!out)
        return NULL;
    w = out;
    for (size_t i = 8; i < len && body[i] != '&'; i++) {
        if (body[i] == '+') {
            *w++ = ' ';
        } else if (body[i] == '%' && i + 2 < len && isxdigit((unsigned char)body[i + 1]) &&
                   isxdigit((unsigned char)body[i + 2])) {
            char hex[3] = {body[i + 1], body[i + 2], '\0'};
            *w++ = (char)strtol(hex, NULL, 16);
            i += 2;
        } else {
            *w++ = body[i];
        }
    }
    *w = '\0';
    return out;
}

static void template_post(const json_t *settings, const json_t *payload, struct svc_result *r)
{
    struct sb_diag diag = {{0}, {0}};
    json_t *card = NULL;

    if (service_template_card(json_object_get(settings, "template"), payload, &card, &diag)) {
        svc_refuse(r, 400, "The template could not be applied: %s", diag.message);
        return;
    }
    r->card = json_dumps(card, JSON_COMPACT);
    json_decref(card);
    if (!r->card)
        svc_refuse(r, 500, "The card could not be built.");
    else
        r->outcome = SERVICE_POST;
}

enum service_outcome service_card(const struct sb_connector *c, const char *settings_text,
                                  const struct service_headers *h, const char *body, size_t len,
                                  char **card, int *status, char *why, size_t why_cap)
{
    struct svc_result r;
    json_t *settings = json_loads(settings_text ? settings_text : "{}", 0, NULL), *payload = NULL;
    char *form;
    const char *secret = json_string_value(json_object_get(settings, "secret"));

    memset(&r, 0, sizeof(r));
    *card = NULL;
    if (!json_is_object(settings)) {
        svc_refuse(&r, 500, "The configuration's settings cannot be read.");
        goto out;
    }
    if (strcmp(c->kind, "github") == 0 &&
        (!secret || !github_signed(secret, h->signature, body, len))) {
        svc_refuse(&r, 401,
                   h->signature ? "X-Hub-Signature-256 does not match the body and this "
                                  "configuration's secret."
                                : "X-Hub-Signature-256 is required: set the secret shown in the "
                                  "connector's configuration in GitHub's webhook settings.");
        goto out;
    }
    if (strcmp(c->kind, "gitlab") == 0 && (!secret || !token_equal(secret, h->token))) {
        svc_refuse(&r, 401,
                   h->token ? "X-Gitlab-Token does not match this configuration's "
                              "secret token."
                            : "X-Gitlab-Token is required: set the secret token shown "
                              "in the connector's configuration in GitLab.");
        goto out;
    }
    if ((strcmp(c->kind, "github") == 0 || strcmp(c->kind, "gitlab") == 0) &&
        (!h->event || !*h->event)) {
        svc_refuse(&r, 400, "The event header (%s) is required.",
                   strcmp(c->kind, "github") == 0 ? "X-GitHub-Event" : "X-Gitlab-Event");
        goto out;
    }
    form = form_payload(h->content_type, body, len);
    payload = form ? json_loads(form, 0, NULL) : json_loadb(body, len, 0, NULL);
    free(form);
    if (!json_is_object(payload)) {
        svc_refuse(&r, 400, "The body must be a JSON object.");
        goto out;
    }
    if (strcmp(c->kind, "github") == 0)
        svc_github(settings, h->event, payload, &r);
    else if (strcmp(c->kind, "gitlab") == 0)
        svc_gitlab(settings, h->event, payload, &r);
    else if (strcmp(c->kind, "alertmanager") == 0)
        svc_alertmanager(payload, &r);
    else
        template_post(settings, payload, &r);
out:
    json_decref(payload);
    json_decref(settings);
    *status = r.status;
    snprintf(why, why_cap, "%s", r.why);
    *card = r.card;
    return r.outcome;
}

enum webhook_transform_outcome service_transform(void *arg, const struct sb_connector *c,
                                                 const char *body, size_t len, char **card,
                                                 int *status, char *why, size_t why_cap)
{
    struct service_request *req = arg;
    char *settings = NULL;

    *card = NULL;
    if (store_connector_settings(req->ctx->store, c->id, &settings) != SB_OK) {
        *status = 503;
        snprintf(why, why_cap, "The configuration could not be read; retry later.");
        return WEBHOOK_TRANSFORM_REFUSE;
    }
    switch (service_card(c, settings, &req->headers, body, len, card, status, why, why_cap)) {
    case SERVICE_POST:
        free(settings);
        return WEBHOOK_TRANSFORM_POST;
    case SERVICE_IGNORE:
        free(settings);
        return WEBHOOK_TRANSFORM_IGNORE;
    default:
        free(settings);
        return WEBHOOK_TRANSFORM_REFUSE;
    }
}
