/*
 * model/apps.h: an app package in the organisation catalog or uploaded to a team.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/apps.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_APPS_H
#define SB_MODEL_APPS_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A catalog entry: the facts of an app package (manifest) as published. */
struct sb_app {
    sb_id id;             /* Switchboard's id of the catalog entry */
    char external_id[64]; /* the manifest's id */
    sb_id team_id;        /* "" for the organisation catalog */
    char version[32];
    char display_name[SB_NAME_MAX + 1];
    char description[512];
    char developer[SB_NAME_MAX + 1];
    char connector_id[64]; /* "" when the app has no connector */
    char configuration_url[2049];
    char valid_domains[8192]; /* JSON array text */
    sb_id created_by;
    sb_time created;
    sb_time updated;
};

#endif
