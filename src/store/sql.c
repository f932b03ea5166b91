/*
 * sql.c: the text of every statement named in sql.h, gathered from the store/sql_<file>.h
 * lists (see sql.h).
 */
#include "store/sql.h"

#include <stddef.h>

const char *const db_sql_table[SQL__COUNT] = {
#define SQL(name, text) [name] = (text),
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
    [SQL_BEGIN] = NULL,
    [SQL_NOTIFY] = NULL,
};
