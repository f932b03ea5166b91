/*
 * store/connectors.h: connector configurations (incoming webhooks, connector apps, service
 * connectors), their delivery log, and a webhook post's write (connectors.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_CONNECTORS_H
#define SB_STORE_CONNECTORS_H

#include "core/sb.h"
#include "model/connectors.h"
#include "store/store.h" /* store_done_fn */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;
struct sb_message;

/* Every change of a configuration below writes its audit entries (audits[0..naudits), may be
 * none) in the same transaction: the change and its record commit together. */

/* image/image_len: the avatar bytes (or the https URL's text when image_type is "url").
 * settings: the kind's own fields as JSON object text (NULL = "{}"). */
sb_err store_connector_insert(struct store *st, const struct sb_connector *c, const void *image,
                              size_t image_len, const char *settings, const struct sb_audit *audits,
                              size_t naudits);
/* The kind's own fields (JSON object text, heap; caller frees). */
sb_err store_connector_settings(struct store *st, const char *id, char **settings);
/* Replaces the settings and, when name is not NULL, the name (the edit flow). */
sb_err store_connector_set_settings(struct store *st, const char *id, const char *name,
                                    const char *settings, const struct sb_audit *audits,
                                    size_t naudits);
/* Finds a configuration, removed ones included (c->deleted tells). */
sb_err store_connector_get(struct store *st, const char *id, struct sb_connector *out);
/* The same, by its webhook key (url_nonce; a unique index). */
sb_err store_connector_by_key(struct store *st, const char *key, struct sb_connector *out);
/* The channel's configurations that are not removed, oldest first. */
sb_err store_connector_list(struct store *st, const char *channel_id, struct sb_connector **out,
                            size_t *n);
sb_err store_connector_rename(struct store *st, const char *id, const char *name,
                              const struct sb_audit *audits, size_t naudits);
sb_err store_connector_set_url(struct store *st, const char *id, const char *format,
                               const char *nonce, const struct sb_audit *audits, size_t naudits);
/* Marks the configuration removed (kept as a tombstone so its URLs answer 410 Gone). */
sb_err store_connector_delete(struct store *st, const char *id, const char *at,
                              const struct sb_audit *audits, size_t naudits);
/* The avatar: *data is heap memory (caller frees); SB_ERR_NOT_FOUND when there is none. */
sb_err store_connector_image(struct store *st, const char *id, char *type, size_t type_cap,
                             void **data, size_t *len);

sb_err store_delivery_append(struct store *st, const struct sb_delivery *d);
/* Queues d (copied) for the next commit and returns at once: a refused post is answered
 * without waiting for a disk sync. SB_ERR_THROTTLED (nothing queued) when the writer is far
 * behind, so a flood of refused posts cannot grow its queue without bound. */
sb_err store_delivery_log(struct store *st, const struct sb_delivery *d);
/* Newest first; entries queued by store_delivery_log before the call are included. */
sb_err store_delivery_list(struct store *st, const char *connector_id, size_t limit,
                           struct sb_delivery **out, size_t *n);

/* Stores a webhook's message and its delivery-log entry in one transaction; sets m->seq.
 * Returns at once; done runs after the commit. m and d must stay valid until then. */
sb_err store_webhook_deliver(struct store *st, struct sb_message *m, const struct sb_delivery *d,
                             store_done_fn done, void *arg);

#endif
