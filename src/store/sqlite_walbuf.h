/*
 * store/sqlite_walbuf.h: the SQLite VFS that gathers WAL writes (sqlite_walbuf.c), private to
 * store/. The SQLite writer opens its connection with it.
 */
#ifndef SB_STORE_SQLITE_WALBUF_H
#define SB_STORE_SQLITE_WALBUF_H

#include <stdbool.h>

#define STORE_SQLITE_WALBUF_VFS "sb-walbuf"

/* Registers the VFS (once, from any thread); false if SQLite's default VFS lacks the methods it
 * wraps, and then connections use the default VFS as before. */
bool store_sqlite_walbuf(void);

#endif
