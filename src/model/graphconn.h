/*
 * model/graphconn.h: Graph connectors: app registrations, the administrator's switch, external
 * connections, schema operations, items, external groups and their members, search hits.
 *
 * Part of the model: the records that services hand to handlers and to the store, types
 * only. The store (store/graphconn.h) reads and writes them; services and api/ use them without
 * seeing the store.
 */
#ifndef SB_MODEL_GRAPHCONN_H
#define SB_MODEL_GRAPHCONN_H

#include "core/sb.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A Graph connector app registration: the client that calls the connector API. */
struct sb_gc_registration {
    sb_id id;     /* the client id */
    sb_id app_id; /* the catalog app it belongs to; "" when none */
    char display_name[SB_NAME_MAX + 1];
    unsigned char secret_hash[32];
    char public_key[2048]; /* PEM public key of a certificate credential; "" when none */
    sb_id created_by;
    sb_time created;
};

/* The administrator's on/off switch of a catalog app with a graphConnector. */
struct sb_gc_switch {
    sb_id app_id;
    bool enabled;
    char ticket[64]; /* the connectorsTicket sent with the last notification */
    char job_id[64]; /* the outbox job of the last notification ("" when none) */
    sb_id updated_by;
    sb_time updated;
};

#define SB_GC_ID_MAX 32    /* connection ids */
#define SB_GC_ITEM_MAX 128 /* item and external group ids */

/* An external connection (Graph connectors) and its registered schema. */
struct sb_gc_connection {
    int64_t pk;
    char id[SB_GC_ID_MAX + 1];
    sb_id owner; /* the registration that created it */
    char name[128 * 4 + 1];
    char description[SB_DESC_MAX + 1];
    char state[16]; /* "draft" or "ready" */
    char connector_id[64];
    char *extra;  /* JSON object text: configuration, activitySettings, searchSettings */
    char *schema; /* JSON object text of the registered schema, NULL before */
    sb_time created;
};

/* A schema registration operation, carried out by the outbox. */
struct sb_gc_operation {
    char id[SB_ID_LEN + 1];
    int64_t conn_pk;
    char status[16]; /* "inprogress", "completed", "failed" */
    char *schema;    /* the schema the operation registers */
    char *error;     /* JSON publicError text when failed, else NULL */
    sb_time created;
};

/* An item of an external connection, with its ACL as given. */
struct sb_gc_item {
    int64_t pk;
    int64_t conn_pk;
    char id[SB_GC_ITEM_MAX + 1];
    char *properties; /* JSON object text */
    char *content;
    char content_type[8]; /* "text" or "html" */
    char *acl;            /* JSON array text, as given */
    sb_time updated;
};

/* An external group of a connection. */
struct sb_gc_group {
    int64_t conn_pk;
    char id[SB_GC_ITEM_MAX + 1];
    char display_name[SB_NAME_MAX + 1];
    char description[SB_DESC_MAX + 1];
};

/* A member of an external group. */
struct sb_gc_member {
    char id[SB_GC_ITEM_MAX + 1];
    char type[16]; /* "user", "group", "externalGroup" */
};

/* One search hit: the item, its connection's schema, and the indexed text. */
struct sb_gc_hit {
    char connection_id[SB_GC_ID_MAX + 1];
    char item_id[SB_GC_ITEM_MAX + 1];
    char *properties;
    char *schema;
    char *title; /* the indexed text, for highlights */
    char *body;
};

#endif
