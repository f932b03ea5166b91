/*
 * items_internal.h: what the files of external items and groups share inside src/graphconn
 * (graphconn.h has the public operations): the id rule (items.c) and the checks of an item's
 * body (item_check.c). Nothing here is for use outside items.c, item_check.c and groups.c.
 */
#ifndef SB_GRAPHCONN_ITEMS_INTERNAL_H
#define SB_GRAPHCONN_ITEMS_INTERNAL_H

#include "graphconn/graphconn.h"
#include "store/graphconn.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Item and external group ids: 1 to SB_GC_ITEM_MAX letters, digits, '-' and '_'. */
bool gc_valid_id(const char *s);

/* Checks properties against the schema; *norm gets them under the schema's names and *title
 * the searchable text (both the caller's; NULL on failure). */
sb_err gc_item_check_properties(json_t *props, json_t *schema, json_t **norm, char **title,
                                struct sb_diag *diag);
/* content: absent/null, or {value?: string, type?: text|html}; *value and *type borrow from
 * it (defaults "" and "text"). */
sb_err gc_item_check_content(json_t *content, const char **value, const char **type,
                             struct sb_diag *diag);
/* The ACL entries as principal keys; *out is the caller's to free. */
sb_err gc_item_check_acl(json_t *acl, int64_t conn_pk, struct store_gc_ace **out, size_t *n,
                         struct sb_diag *diag);
/* HTML reduced to its text for the index (tags become spaces); NULL when out of memory. */
char *gc_item_html_text(const char *html);

#endif
