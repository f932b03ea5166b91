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

/* Upper bound of valid_domains in bytes, terminator included (a longer list is stored as
 * "[]", as before the field was a heap string). */
#define SB_APP_DOMAINS_CAP 8192

/* A catalog entry: the facts of an app package (manifest) as published. configuration_url and
 * valid_domains are heap strings the record owns (never NULL in a record read from the store
 * or filled for a publication); store_app_free releases them (apps_free for api/), so a record
 * is moved, never copied with `=`. */
struct sb_app {
    sb_id id;             /* Switchboard's id of the catalog entry */
    char external_id[64]; /* the manifest's id */
    sb_id team_id;        /* "" for the organisation catalog */
    char version[32];
    char display_name[SB_NAME_MAX + 1];
    char description[512];
    char developer[SB_NAME_MAX + 1];
    char connector_id[64];   /* "" when the app has no connector */
    char *configuration_url; /* "" when the app has no connector */
    char *valid_domains;     /* JSON array text */
    sb_id created_by;
    sb_time created;
    sb_time updated;
    bool blocked; /* blocked by an administrator: in no catalog, no new configurations */
};

/* An app as the administrator's list shows it: the entry, the name of the team it was uploaded
 * to ("" for the organisation catalog) and what blocking it leaves running: the live
 * configurations made from it and the number of teams they are in. */
struct sb_app_usage {
    struct sb_app app;
    char team_name[SB_NAME_MAX + 1];
    int64_t configurations;
    int64_t teams;
};

#endif
