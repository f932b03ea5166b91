/*
 * actions_api.c: actionable messages (contract addition):
 *   POST /api/v1/messages/{message-id}/actions {actionId, inputs?} -> 202 {id, status:"pending"}
 *   GET  /api/v1/actionExecutions/{id} -> the execution (its author only; 404 for others)
 */
#include "api/api.h"

#include "actions/actions.h"
#include "core/json.h"

#include <string.h>

void api_message_action(struct api_call *c)
{
    struct sb_action_execution e;
    const char *action_id = NULL;
    json_t *body, *inputs = NULL;
    sb_err err;

    body = api_body_object(c);
    if (!body)
        return;
    err = sb_json_string(body, "actionId", true, SB_ACTION_ID_MAX, &action_id, &c->diag);
    if (!err) {
        inputs = json_object_get(body, "inputs");
        if (json_is_null(inputs))
            inputs = NULL;
        err = actions_accept(c->ctx, c->who, api_param(c, 0), action_id, inputs, &e, &c->diag);
    }
    json_decref(body);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 202, actions_execution_json(&e));
}

void api_action_execution_get(struct api_call *c)
{
    struct sb_action_execution e;
    sb_err err;

    err = actions_execution_get(c->ctx, c->who, api_param(c, 0), &e, &c->diag);
    if (err) {
        api_fail(c, err);
        return;
    }
    api_json(c, 200, actions_execution_json(&e));
}
