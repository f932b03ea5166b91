/*
 * store/graphconn.h: Graph connectors: app registrations, the admin switch, external connections,
 * their schema operations, items with ACLs, external groups, and full-text search
 * (graphconn*.c).
 *
 * Part of the store's interface (store/store.h states its rules: durability, errors, records);
 * SQLite and PostgreSQL implement it alike.
 */
#ifndef SB_STORE_GRAPHCONN_H
#define SB_STORE_GRAPHCONN_H

#include "core/sb.h"
#include "model/graphconn.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct sb_audit;
struct sb_outbox_job;

/* The registration and its audit entry (may be NULL) in one transaction. */
sb_err store_gc_registration_insert(struct store *st, const struct sb_gc_registration *r,
                                    const struct sb_audit *audit);
sb_err store_gc_registration_get(struct store *st, const char *id, struct sb_gc_registration *out);
sb_err store_gc_registration_list(struct store *st, struct sb_gc_registration **out, size_t *n);
/* Deletes the registration and writes its audit entry (may be NULL) in one transaction. */
sb_err store_gc_registration_delete(struct store *st, const char *id, const struct sb_audit *audit);
/* The package zip of a catalog app (heap; caller frees). */
sb_err store_gc_app_package(struct store *st, const char *app_id, void **data, size_t *len);

/* Turns the switch (sw->job_id names job) and stores the notification job with payload and
 * the audit entry (may be NULL), all in one transaction: the notification goes out only when
 * the state it announces is committed, and always then. */
sb_err store_gc_switch_set(struct store *st, const struct sb_gc_switch *sw,
                           const struct sb_outbox_job *job, const char *payload,
                           const struct sb_audit *audit);
sb_err store_gc_switch_get(struct store *st, const char *app_id, struct sb_gc_switch *out);

void store_gc_connection_free(struct sb_gc_connection *c);
void store_gc_connection_free_array(struct sb_gc_connection *c, size_t n);
/* SB_ERR_CONFLICT when the id is taken (by any owner). */
sb_err store_gc_connection_insert(struct store *st, struct sb_gc_connection *c);
sb_err store_gc_connection_get(struct store *st, const char *id, struct sb_gc_connection *out);
/* owner NULL: every connection. Oldest first. */
sb_err store_gc_connection_list(struct store *st, const char *owner, struct sb_gc_connection **out,
                                size_t *n);
sb_err store_gc_connection_count(struct store *st, int64_t *n);
sb_err store_gc_connection_update(struct store *st, const struct sb_gc_connection *c);
/* Removes the connection with its items, groups, operations and index entries. */
sb_err store_gc_connection_delete(struct store *st, int64_t pk);
sb_err store_gc_item_count(struct store *st, int64_t conn_pk, int64_t *n);

void store_gc_operation_free(struct sb_gc_operation *op);
/* Stores a pending operation and the outbox job (payload JSON text) that carries it out, in
 * one transaction: no operation without its job, no job without its operation. */
sb_err store_gc_operation_insert(struct store *st, const struct sb_gc_operation *op,
                                 const struct sb_outbox_job *job, const char *payload);
sb_err store_gc_operation_get(struct store *st, const char *id, struct sb_gc_operation *out);
/* Finishes an operation: completed stores its schema on the connection and makes the
 * connection ready; failed records error (JSON text). */
sb_err store_gc_operation_finish(struct store *st, const char *id, bool ok, const char *error);

/* One ACL entry as a principal key (see the migration's comment) and whether it denies. */
struct store_gc_ace {
    char key[SB_GC_ITEM_MAX + 48];
    bool deny;
};

void store_gc_item_free(struct sb_gc_item *it);
/* Creates or replaces the item with its ACL and its index entry (title: the searchable
 * properties' text, body: the content as text). *created tells which. */
sb_err store_gc_item_put(struct store *st, const struct sb_gc_item *it,
                         const struct store_gc_ace *acl, size_t nacl, const char *title,
                         const char *body, bool *created);
sb_err store_gc_item_get(struct store *st, int64_t conn_pk, const char *id, struct sb_gc_item *out);
sb_err store_gc_item_delete(struct store *st, int64_t conn_pk, const char *id);

/* SB_ERR_CONFLICT when the group exists. */
sb_err store_gc_group_insert(struct store *st, const struct sb_gc_group *g);
sb_err store_gc_group_get(struct store *st, int64_t conn_pk, const char *id,
                          struct sb_gc_group *out);
sb_err store_gc_group_update(struct store *st, const struct sb_gc_group *g);
sb_err store_gc_group_delete(struct store *st, int64_t conn_pk, const char *id);

/* key: the member's principal key. SB_ERR_CONFLICT when already a member. */
sb_err store_gc_member_add(struct store *st, int64_t conn_pk, const char *group_id,
                           const struct sb_gc_member *m, const char *key);
sb_err store_gc_member_remove(struct store *st, int64_t conn_pk, const char *group_id,
                              const char *member_id);
sb_err store_gc_member_list(struct store *st, int64_t conn_pk, const char *group_id,
                            struct sb_gc_member **out, size_t *n);

#define STORE_GC_SOURCES_MAX 8

struct store_gc_query {
    const char *user_id;      /* ACL trimming: what this person may see */
    const char *const *terms; /* words, all required */
    size_t nterms;
    const char *sources[STORE_GC_SOURCES_MAX]; /* connection ids; none = every connection */
    size_t nsources;
    int64_t from, size;
    int64_t count_max; /* the total counts up to this many permitted matches (or from + size + 1) */
};

void store_gc_hit_free_array(struct sb_gc_hit *h, size_t n);
/* Ranked full-text search over ready connections, trimmed by ACL in SQL (a grant matching
 * the person and no deny matching them); *total counts the permitted matches up to
 * q->count_max (or from + size + 1): beyond, it says "at least". Only the best matches are
 * ranked in full and checked, as many as the page needs (twice from + size, doubled while too
 * few of them may be seen). */
sb_err store_gc_search(struct store *st, const struct store_gc_query *q, struct sb_gc_hit **out,
                       size_t *n, int64_t *total);

#endif
