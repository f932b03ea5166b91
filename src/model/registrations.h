/*
 * model/registrations.h: a connector registered in the Connector Developer Dashboard.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/registrations.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_REGISTRATIONS_H
#define SB_MODEL_REGISTRATIONS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A registered connector: its dashboard fields and the ids of what it published. */
struct sb_registration {
    sb_id id;         /* the connector id */
    sb_id app_id;     /* the generated package's manifest id */
    sb_id catalog_id; /* the organisation catalog entry it published (sb_app.id) */
    char name[30 * 4 + 1];
    char short_description[80 * 4 + 1];
    char long_description[4000 * 4 + 1];
    char website_url[2049];
    char configuration_url[2049];
    char valid_domains[8192]; /* JSON array text */
    bool actions_enabled;
    char actions_url[2049]; /* "" without actions */
    char version[32];
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

#endif
