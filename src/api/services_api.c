/*
 * services_api.c: creating built-in service connector configurations (GitHub, GitLab,
 * Alertmanager, JSON template) and previewing a template's card. Listing, editing, removing and
 * the delivery log go through the connector configuration routes (connectors_api.c).
 */
#include "api/api.h"

#include "cards/cards.h"
#include "core/ids.h"
#include "core/json.h"
#include "org/org.h"
#include "services/services.h"
#include "services/template.h"
#include "webhooks/manage.h"

#include <stdlib.h>
#include <string.h>

/* POST /api/v1/channels/{channel}/serviceConnectors {kind, name, secret?, events?, branches?,
 * template?} -> 201 the configuration with its url and settings (the secret included). */
void api_service_create(struct api_call *c)
{
    struct sb_channel ch;
    struct sb_connector cc;
    json_t *body, *o;
    sb_err err = webhook_channel_load(c->ctx, c->who, SB_ACT_CONNECTOR_CREATE, api_param(c, 0), &ch,
                                      &c->diag);

    if (err) {
        api_fail(c, err);
        return;
    }
    body = api_body_object(c);
    if (!body)
        return;
    err = service_create(c->ctx, c->who, &ch, body, &cc, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:b}", "id", cc.id, "kind", cc.kind,
                  "connectorId", cc.connector_id, "name", cc.name, "configName", cc.name, "teamId",
                  cc.team_id, "channelId", cc.channel_id, "createdBy", cc.created_by,
                  "createdDateTime", cc.created, "attentionRequired", 0);
    if (!o || service_render(c->ctx, &cc, o) != SB_OK) {
        json_decref(o);
        api_fail(c, SB_ERR_NOMEM);
        return;
    }
    api_json(c, 201, o);
}

static void preview_id(void *arg, char out[37])
{
    sb_id_new(arg, out);
}

/* POST /api/v1/serviceConnectors/preview {template, sample} -> 200 {card}: the card the
 * template connector would post for sample, checked as a webhook post is checked. */
void api_service_preview(struct api_call *c)
{
    struct card_message msg = {0};
    json_t *body, *tmpl, *sample, *card = NULL;
    char *text = NULL;
    sb_err err;

    if (!api_can(c, SB_ACT_SIGNED_IN, NULL, NULL, NULL))
        return;
    body = api_body_object(c);
    if (!body)
        return;
    tmpl = json_object_get(body, "template");
    sample = json_object_get(body, "sample");
    if (!json_is_object(tmpl))
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest", "template must be an object");
    else if (!sample)
        err = sb_fail(&c->diag, SB_ERR_INVALID, "invalidRequest",
                      "sample is required (the JSON a service would post)");
    else
        err = template_check(tmpl, &c->diag);
    if (!err)
        err = service_template_card(tmpl, sample, &card, &c->diag);
    if (!err)
        err = sb_json_dump(card, &text);
    if (!err)
        err = card_message_parse(text, strlen(text), NULL, preview_id, c->ctx, &msg, &c->diag);
    free(text);
    card_message_free(&msg);
    json_decref(body);
    if (err) {
        json_decref(card);
        api_fail(c, err);
        return;
    }
    api_json(c, 200, json_pack("{s:o}", "card", card));
}
