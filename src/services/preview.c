/*
 * preview.c: the template connector's preview for the configuration dialog: the card a
 * template would post for a sample payload, checked as a webhook post is checked, so what the
 * dialog shows is what the channel would get (or the same refusal).
 */
#include "services/services.h"

#include "auth/perm.h"
#include "cards/cards.h"
#include "core/ids.h"
#include "core/json.h"
#include "services/template.h"

#include <stdlib.h>
#include <string.h>

static void preview_id(void *arg, char out[37])
{
    sb_id_new(arg, out);
}

sb_err service_preview(struct sb_ctx *ctx, const struct sb_principal *who, const json_t *tmpl,
                       const json_t *sample, json_t **card, struct sb_diag *diag)
{
    struct card_message msg = {0};
    char *text = NULL;
    sb_err err = sb_can(ctx, who, SB_ACT_SIGNED_IN, NULL, diag);

    *card = NULL;
    if (err)
        return err;
    if (!json_is_object(tmpl))
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest", "template must be an object");
    if (!sample)
        return sb_fail(diag, SB_ERR_INVALID, "invalidRequest",
                       "sample is required (the JSON a service would post)");
    err = template_check(tmpl, diag);
    if (!err)
        err = service_template_card(tmpl, sample, card, diag);
    if (!err)
        err = sb_json_dump(*card, &text);
    if (!err)
        err = card_message_parse(text, strlen(text), NULL, preview_id, ctx, &msg, diag);
    free(text);
    card_message_free(&msg);
    if (err) {
        json_decref(*card);
        *card = NULL;
    }
    return err;
}
