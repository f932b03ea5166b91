/*
 * manage.h: what handlers do with a channel's connector configurations (incoming webhooks,
 * connector apps' and service connectors' configurations) once made: find one for an action,
 * list, rename, remove, replace the URL, read the delivery log and the avatar.
 *
 * Loading asks sb_can for the action on the configuration's channel; a change writes its audit
 * entry in the change's transaction (the store function of the change takes it). The handler
 * only parses and renders.
 */
#ifndef SB_WEBHOOKS_MANAGE_H
#define SB_WEBHOOKS_MANAGE_H

#include "auth/perm.h"
#include "webhooks/webhooks.h"

/* The channel channel_id, if who may do action on it ("channel '…' not found" otherwise). */
sb_err webhook_channel_load(struct sb_ctx *ctx, const struct sb_principal *who,
                            enum sb_action action, const char *channel_id, struct sb_channel *out,
                            struct sb_diag *diag);
/* The configuration id (removed ones are gone), if who may do action on its channel. */
sb_err webhook_config_load(struct sb_ctx *ctx, const struct sb_principal *who,
                           enum sb_action action, const char *id, struct sb_connector *out,
                           struct sb_diag *diag);
/* Whether who may manage (rename, remove, change) configurations in cc's channel. */
bool webhook_may_manage(struct sb_ctx *ctx, const struct sb_principal *who,
                        const struct sb_connector *cc);
/* The channel's configurations (heap array: free()); the caller loaded the channel. */
sb_err webhook_config_list(struct sb_ctx *ctx, const char *channel_id, struct sb_connector **out,
                           size_t *n);
/* Renames cc (the caller checked the name) with its "connector.update" audit entry; cc->name
 * is the new one after. */
sb_err webhook_config_rename(struct sb_ctx *ctx, const struct sb_principal *who,
                             struct sb_connector *cc, const char *name);
/* Removes cc with its "connector.delete" audit entry. */
sb_err webhook_config_delete(struct sb_ctx *ctx, const struct sb_principal *who,
                             const struct sb_connector *cc);
/* "Update URL" of an incoming webhook (audit "webhook.updateUrl": which shape was replaced,
 * never the URLs, which are secrets) and of a service connector ("serviceConnector.updateUrl"). */
sb_err webhook_url_replace(struct sb_ctx *ctx, const struct sb_principal *who,
                           struct sb_connector *cc, struct sb_diag *diag);
sb_err webhook_service_url_replace(struct sb_ctx *ctx, const struct sb_principal *who,
                                   struct sb_connector *cc, struct sb_diag *diag);
/* The delivery log of configuration id, newest first (heap array: free()). */
sb_err webhook_deliveries(struct sb_ctx *ctx, const char *id, struct sb_delivery **out, size_t *n);
/* The avatar: type is a MIME type, or "url" with data the URL; data is the caller's (free()). */
sb_err webhook_config_image(struct sb_ctx *ctx, const char *id, char *type, size_t type_cap,
                            void **data, size_t *len, struct sb_diag *diag);

#endif
