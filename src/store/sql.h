/*
 * sql.h: the names of the store's SQL statements (private to store/).
 *
 * Every statement the domain files run has a name in enum db_sql; its text is in the
 * store/sql_<file>.h of the file that runs it (SQL(name, text) entries, written once for
 * SQLite and PostgreSQL alike), gathered into one table by sql.c. A connection caches its
 * prepared statements in an array indexed by the name, so a lookup is one index and two
 * statements can never share a cache slot by accident (as two literals with the same address
 * could, or one literal at two addresses could miss).
 *
 * To add a statement: an SQL(SQL_<FAMILY>_<WHAT>, "...") line in the family's sql_<file>.h,
 * then db_query/db_run/store_select_* with that name.
 */
#ifndef SB_STORE_SQL_H
#define SB_STORE_SQL_H

enum db_sql {
#define SQL(name, text) name,
#include "store/sql_actions.h"
#include "store/sql_admin.h"
#include "store/sql_apps.h"
#include "store/sql_audit.h"
#include "store/sql_connectors.h"
#include "store/sql_forwards.h"
#include "store/sql_graphconn.h"
#include "store/sql_mentions.h"
#include "store/sql_oidc.h"
#include "store/sql_messages.h"
#include "store/sql_outbox.h"
#include "store/sql_reactions.h"
#include "store/sql_rate.h"
#include "store/sql_readstate.h"
#include "store/sql_registrations.h"
#include "store/sql_search.h"
#include "store/sql_signin.h"
#include "store/sql_signing_keys.h"
#include "store/sql_store.h"
#include "store/sql_teams.h"
#include "store/sql_users.h"
#undef SQL
    /* Statements whose text the driver gives (db_driver.begin_sql, db_driver.notify_sql). */
    SQL_BEGIN,
    SQL_NOTIFY,
    SQL__COUNT,
    /* Not a statement of the table: an ad hoc one (store_select_one_text), prepared for one
     * use and freed when it is done. */
    SQL_NONE = SQL__COUNT
};

/* The text of each statement but SQL_BEGIN and SQL_NOTIFY (NULL there): db_sql_text in db.h
 * answers for those with the driver's. */
extern const char *const db_sql_table[SQL__COUNT];

#endif
