/*
 * registration_ops.h: connector registrations (registration.h) as the dashboard's handlers
 * read and use them. Each function that takes a principal asks sb_can itself; a registration is
 * seen by administrators and the person who made it, and is unknown (404) to everyone else.
 */
#ifndef SB_CONNECTORS_REGISTRATION_OPS_H
#define SB_CONNECTORS_REGISTRATION_OPS_H

#include "connectors/registration.h"

/* The registration id if who may see it; with change, also asks SB_ACT_CONNECTOR_REGISTER.
 * out's heap fields: registration_free, on success and on error. */
sb_err registration_find(struct sb_ctx *ctx, const struct sb_principal *who, const char *id,
                         bool change, struct sb_registration *out, struct sb_diag *diag);
/* Whether who may register connectors now (the list's canRegister). */
bool registration_may_register(struct sb_ctx *ctx, const struct sb_principal *who);
/* The registrations who may see (heap array: registration_free_array). */
sb_err registration_list_for(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_registration **out, size_t *n, struct sb_diag *diag);
/* The stored app package of r (heap: free()). */
sb_err registration_package(struct sb_ctx *ctx, const struct sb_registration *r, void **data,
                            size_t *len);
/* registration_test_card into channel_id, if who may add a connector there (posting as a
 * connector is adding one to the channel, for a moment: the same people and the same policy). */
sb_err registration_test_card_post(struct sb_ctx *ctx, const struct sb_principal *who,
                                   const struct sb_registration *r, const char *channel_id,
                                   struct sb_message *out, struct sb_diag *diag);

#endif
