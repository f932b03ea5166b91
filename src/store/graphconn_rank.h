/*
 * store/graphconn_rank.h: the ranking function of the external-item search on SQLite
 * (graphconn_rank.c), private to store/.
 */
#ifndef SB_STORE_GRAPHCONN_RANK_H
#define SB_STORE_GRAPHCONN_RANK_H

#include <sqlite3.h>

/* Registers the FTS5 auxiliary function sb_bm25(table, K, weights...) on db: bm25 for the rows
 * that can be among the K best by (rank, rowid), 1e300 for the others. An SQLite result code. */
int store_gc_rank_register(sqlite3 *db);

#endif
