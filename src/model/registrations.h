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

/* Upper bounds of the long text fields in bytes, terminator included (the input rules refuse
 * more; the fields themselves are heap strings of the length they need). */
#define SB_REG_LONG_DESCRIPTION_CAP (4000 * 4 + 1)
#define SB_REG_URL_CAP 2049
#define SB_REG_DOMAINS_CAP 8192

/* A registered connector: its dashboard fields and the ids of what it published. The long text
 * fields are heap strings the record owns (never NULL in a record read from the store or
 * completed by the input rules); store_registration_free releases them (registration_free for
 * api/), so a record is moved, never copied with `=`. */
struct sb_registration {
    sb_id id;         /* the connector id */
    sb_id app_id;     /* the generated package's manifest id */
    sb_id catalog_id; /* the organisation catalog entry it published (sb_app.id) */
    char name[30 * 4 + 1];
    char short_description[80 * 4 + 1];
    char *long_description;
    char *website_url;
    char *configuration_url;
    char *valid_domains; /* JSON array text */
    bool actions_enabled;
    char *actions_url; /* "" without actions */
    char version[32];
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

#endif
