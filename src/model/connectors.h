/*
 * model/connectors.h: a connector configuration of a channel (incoming webhook, connector app,
 * service connector) and one entry of its delivery log.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/connectors.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_CONNECTORS_H
#define SB_MODEL_CONNECTORS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A connector configuration in a channel; removed ones are kept as tombstones. */
struct sb_connector {
    sb_id id;
    char kind[16];         /* "incomingWebhook", "app", or a service connector's kind */
    char connector_id[64]; /* the catalog entry it configures */
    sb_id team_id;
    sb_id channel_id;
    char name[SB_NAME_MAX + 1];
    char image_type[64]; /* "" (none), a MIME type (bytes stored), or "url" */
    sb_id created_by;
    sb_time created;
    char url_format[8]; /* "v2" or "legacy" */
    /* The webhook key: 32 lower-case hex digits (128 random bits), unique. It is the key slot
     * of the connector-shaped URLs and part of every URL signature of the configuration;
     * rotated by an URL update. Never shown except inside those URLs. */
    char url_nonce[33];
    bool deleted;     /* removed: its URLs answer 410 */
    char app_type[8]; /* the client it was made in: "teams" ("" on insert means "teams") */
};

#define SB_DELIVERIES_KEPT 100 /* per configuration; older entries are pruned */

/* One delivery-log entry: a post to a configuration's URL and how it was answered. */
struct sb_delivery {
    int64_t seq;
    sb_id connector_id;
    sb_time at;
    int64_t size;
    int status;
    char error[512];
    sb_id message_id; /* "" when nothing was stored */
};

#endif
