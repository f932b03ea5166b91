/*
 * services_api.c: creating built-in service connector configurations (GitHub, GitLab,
 * Alertmanager, JSON template) and previewing a template's card. Listing, editing, removing and
 * the delivery log go through the connector configuration routes (connectors_api.c).
 */
#include "api/api.h"

#include "services/services.h"
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

/* POST /api/v1/serviceConnectors/preview {template, sample} -> 200 {card}: the card the
 * template connector would post for sample, checked as a webhook post is checked. */
void api_service_preview(struct api_call *c)
{
    json_t *body, *card = NULL;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = service_preview(c->ctx, c->who, json_object_get(body, "template"),
                          json_object_get(body, "sample"), &card, &c->diag);
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, json_pack("{s:o}", "card", card));
}
