/*
 * registration_input.h: internal to the registration (connectors/registration*.c): a
 * registration being built or changed and the function that applies the API's JSON object to
 * it. registration_apply checks every field the object names (and refuses unknown ones), then
 * the whole (what a registration cannot do without), and adds the configuration page's host to
 * validDomains unless an entry covers it; nothing is written. Bad input is SB_ERR_INVALID with
 * diag code "invalidRequest" naming the field and the rule (registration.h).
 */
#ifndef SB_REGISTRATION_INPUT_H
#define SB_REGISTRATION_INPUT_H

#include "connectors/registration.h"

/* A registration being built or changed, with its icons (heap). */
struct draft {
    struct sb_registration r;
    unsigned char *logo, *outline;
    size_t logo_len, outline_len;
};

void registration_draft_free(struct draft *d);

/* Applies body to d (only the fields it names), then checks the whole. */
sb_err registration_apply(struct sb_ctx *ctx, json_t *body, struct draft *d, struct sb_diag *diag);

#endif
