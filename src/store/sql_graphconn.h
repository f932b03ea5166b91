/*
 * sql_graphconn.h: the SQL of graphconn.c and graphconn_items.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define GC_REG_COLS                                                                                \
    "id, COALESCE(app_id, ''), display_name, secret_hash, created_by, created_at, public_key"
#define GC_CONN_COLS                                                                               \
    "pk, id, owner, name, description, state, connector_id, extra, schema_json, created_at"
SQL(SQL_GC_REGISTRATION_INSERT,
    "INSERT INTO gc_registrations (id, app_id, display_name, secret_hash, "
    "public_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_GC_REGISTRATION_GET, "SELECT " GC_REG_COLS " FROM gc_registrations WHERE id = ?")
SQL(SQL_GC_REGISTRATION_LIST,
    "SELECT " GC_REG_COLS " FROM gc_registrations ORDER BY created_at, id")
SQL(SQL_GC_REGISTRATION_DELETE, "DELETE FROM gc_registrations WHERE id = ?")
SQL(SQL_GC_APP_PACKAGE, "SELECT package FROM apps WHERE id = ?")
SQL(SQL_GC_SWITCH_SET,
    "INSERT INTO gc_switches (app_id, enabled, ticket, job_id, updated_by, "
    "updated_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (app_id) DO UPDATE SET "
    "enabled = excluded.enabled, ticket = excluded.ticket, job_id = excluded.job_id, "
    "updated_by = excluded.updated_by, updated_at = excluded.updated_at")
SQL(SQL_GC_SWITCH_GET, "SELECT app_id, enabled, ticket, job_id, updated_by, updated_at "
                       "FROM gc_switches WHERE app_id = ?")
SQL(SQL_GC_CONNECTION_INSERT,
    "INSERT INTO gc_connections (id, owner, name, description, state, "
    "connector_id, extra, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING pk")
SQL(SQL_GC_CONNECTION_GET, "SELECT " GC_CONN_COLS " FROM gc_connections WHERE id = ?")
SQL(SQL_GC_CONNECTION_LIST_BY_OWNER, "SELECT " GC_CONN_COLS " FROM gc_connections WHERE owner = ? "
                                     "ORDER BY pk")
SQL(SQL_GC_CONNECTION_LIST_ALL, "SELECT " GC_CONN_COLS " FROM gc_connections ORDER BY pk")
SQL(SQL_GC_CONNECTION_COUNT, "SELECT COUNT(*) FROM gc_connections")
SQL(SQL_GC_ITEM_COUNT, "SELECT COUNT(*) FROM gc_items WHERE conn_pk = ?")
SQL(SQL_GC_CONNECTION_UPDATE, "UPDATE gc_connections SET name = ?, description = ?, extra = ? "
                              "WHERE pk = ?")
SQL(SQL_GC_CONNECTION_DELETE_FTS,
    "DELETE FROM gc_fts WHERE rowid IN (SELECT pk FROM gc_items WHERE "
    "conn_pk = ?)")
SQL(SQL_GC_CONNECTION_DELETE_MEMBERS, "DELETE FROM gc_group_members WHERE conn_pk = ?")
SQL(SQL_GC_CONNECTION_DELETE, "DELETE FROM gc_connections WHERE pk = ?")
SQL(SQL_GC_CONNECTION_PRUNE_FTS, "DELETE FROM gc_fts WHERE rowid IN (SELECT pk FROM gc_items WHERE "
                                 "conn_pk = ? ORDER BY id LIMIT ?)")
SQL(SQL_GC_CONNECTION_PRUNE_ITEMS,
    "DELETE FROM gc_items WHERE pk IN (SELECT pk FROM gc_items WHERE conn_pk = ? "
    "ORDER BY id LIMIT ?)")
SQL(SQL_GC_CONNECTION_PRUNE_MEMBERS,
    "DELETE FROM gc_group_members WHERE conn_pk = ? AND group_id = ("
    "SELECT group_id FROM gc_group_members WHERE conn_pk = ? LIMIT 1) AND "
    "member_id IN (SELECT member_id FROM gc_group_members WHERE conn_pk = ? AND "
    "group_id = (SELECT group_id FROM gc_group_members WHERE conn_pk = ? LIMIT 1) "
    "ORDER BY member_id LIMIT ?)")
SQL(SQL_GC_CONNECTION_PRUNE_GROUPS,
    "DELETE FROM gc_groups WHERE (conn_pk, id) IN (SELECT conn_pk, id FROM gc_groups "
    "WHERE conn_pk = ? LIMIT ?)")
SQL(SQL_GC_OPERATION_INSERT, "INSERT INTO gc_operations (id, conn_pk, status, schema_json, error, "
                             "created_at) VALUES (?, ?, ?, ?, ?, ?)")
SQL(SQL_GC_OPERATION_GET, "SELECT id, conn_pk, status, schema_json, error, created_at FROM "
                          "gc_operations WHERE id = ?")
SQL(SQL_GC_OPERATION_FINISH, "UPDATE gc_operations SET status = ?, error = ? WHERE id = ?")
SQL(SQL_GC_OPERATION_APPLY_SCHEMA,
    "UPDATE gc_connections SET state = 'ready', schema_json = (SELECT "
    "schema_json FROM gc_operations WHERE id = ?) WHERE pk = (SELECT conn_pk "
    "FROM gc_operations WHERE id = ?)")
SQL(SQL_GC_ITEM_INDEX_POSTGRES, "UPDATE gc_items SET search_title = ?, search_body = ?, fts = "
                                "setweight(to_tsvector('simple', ?), 'A') || "
                                "setweight(to_tsvector('simple', ?), 'B') WHERE pk = ?")
SQL(SQL_GC_ITEM_UNINDEX_SQLITE, "DELETE FROM gc_fts WHERE rowid = ?")
SQL(SQL_GC_ITEM_INDEX_SQLITE, "INSERT INTO gc_fts (rowid, title, body) VALUES (?, ?, ?)")
SQL(SQL_GC_ITEM_FIND, "SELECT pk FROM gc_items WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_ITEM_UPDATE, "UPDATE gc_items SET properties = ?, content = ?, content_type = ?, "
                        "acl = ?, updated_at = ? WHERE pk = ?")
SQL(SQL_GC_ITEM_ACL_CLEAR, "DELETE FROM gc_acl WHERE item_pk = ?")
SQL(SQL_GC_ITEM_INSERT, "INSERT INTO gc_items (conn_pk, id, properties, content, content_type, "
                        "acl, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING pk")
SQL(SQL_GC_ITEM_ACL_INSERT, "INSERT INTO gc_acl (item_pk, conn_pk, key, deny) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT DO NOTHING")
SQL(SQL_GC_ITEM_GET, "SELECT pk, conn_pk, id, properties, content, content_type, acl, "
                     "updated_at FROM gc_items WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_ITEM_DELETE_FTS, "DELETE FROM gc_fts WHERE rowid = (SELECT pk FROM gc_items WHERE "
                            "conn_pk = ? AND id = ?)")
SQL(SQL_GC_ITEM_DELETE, "DELETE FROM gc_items WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_GROUP_INSERT, "INSERT INTO gc_groups (conn_pk, id, display_name, description) "
                         "VALUES (?, ?, ?, ?)")
SQL(SQL_GC_GROUP_GET, "SELECT conn_pk, id, display_name, description FROM gc_groups "
                      "WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_GROUP_UPDATE, "UPDATE gc_groups SET display_name = ?, description = ? "
                         "WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_GROUP_DELETE_MEMBERSHIPS, "DELETE FROM gc_group_members WHERE member_key = ?")
SQL(SQL_GC_GROUP_DELETE, "DELETE FROM gc_groups WHERE conn_pk = ? AND id = ?")
SQL(SQL_GC_GROUP_MEMBERS_PRUNE,
    "DELETE FROM gc_group_members WHERE conn_pk = ? AND group_id = ? AND member_id IN "
    "(SELECT member_id FROM gc_group_members WHERE conn_pk = ? AND group_id = ? "
    "ORDER BY member_id LIMIT ?)")
SQL(SQL_GC_MEMBER_ADD,
    "INSERT INTO gc_group_members (conn_pk, group_id, member_id, type, member_key) "
    "VALUES (?, ?, ?, ?, ?)")
SQL(SQL_GC_MEMBER_REMOVE, "DELETE FROM gc_group_members WHERE conn_pk = ? AND group_id = ? AND "
                          "member_id = ?")
SQL(SQL_GC_MEMBER_LIST, "SELECT member_id, type FROM gc_group_members WHERE conn_pk = ? AND "
                        "group_id = ? ORDER BY member_id")

/* ---- search ---- */

/* The person's principal keys: themselves, everyone, their teams (Graph groups), and the
 * external groups reaching any of those, through nested external groups. */
#define GC_KEYS_CTE                                                                                \
    "WITH RECURSIVE k(key) AS ("                                                                   \
    "SELECT CAST('u:' || CAST(? AS TEXT) AS TEXT) UNION SELECT CAST('e' AS TEXT) "                 \
    "UNION SELECT CAST('eg' AS TEXT) "                                                             \
    "UNION SELECT CAST('g:' || team_id AS TEXT) FROM members WHERE user_id = ? "                   \
    "UNION SELECT CAST('x:' || m.conn_pk || ':' || m.group_id AS TEXT) "                           \
    "FROM gc_group_members m JOIN k ON m.member_key = k.key), "

/* The connections searched: ready ones, all or those named. */
#define GC_SOURCES_CTE                                                                             \
    "cs AS (SELECT pk FROM gc_connections c WHERE c.state = 'ready' AND "                          \
    "(? = 0 OR c.id IN (?, ?, ?, ?, ?, ?, ?, ?))), "

/* Whether the person may see item pk: a grant matching them and no deny matching them, in a
 * searched connection. The largest deny flag of the item's entries that match is 0 (no match
 * at all gives NULL). One pass over the item's few ACL rows; on SQLite "+key" keeps the planner
 * from probing the key index once per principal key. */
#define GC_ACL_DENY(pk, plus)                                                                      \
    "(SELECT MAX(a.deny) FROM gc_acl a WHERE a.item_pk = " pk " AND " plus                         \
    "a.key IN (SELECT key FROM k) AND a.conn_pk IN (SELECT pk FROM cs))"
#define GC_ACL_TRIM(pk, plus) "AND " GC_ACL_DENY(pk, plus) " = 0 "
#define GC_ACL_OK(pk, plus) "CASE WHEN " GC_ACL_DENY(pk, plus) " = 0 THEN 1 ELSE 0 END"

/* The K best matches by rank, ties to the older item (rank, pk: one order, so that pages agree),
 * each with whether the person may see it, and the permitted matches counted up to a bound
 * (the total; one value, in every row). Only K are ranked in full and checked: the store
 * widens K when too few of them may be seen (graphconn_items.c). sb_bm25 is bm25 that skips
 * the rows that cannot be among the K best (graphconn_rank.c); searchable properties weigh 3,
 * content 1. One statement, so that the principal keys are worked out once. */
SQL(SQL_GC_SEARCH_SQLITE, GC_KEYS_CTE GC_SOURCES_CTE
    "cand AS MATERIALIZED (SELECT f.rowid AS pk, "
    "sb_bm25(gc_fts, ?, 3.0, 1.0) AS r FROM gc_fts f WHERE f.gc_fts MATCH ? ORDER BY r, pk "
    "LIMIT ?) SELECT c.pk, " GC_ACL_OK("c.pk", "+") ", (SELECT COUNT(*) FROM (SELECT 1 FROM "
                                                    "gc_fts f WHERE f.gc_fts MATCH ? " GC_ACL_TRIM(
                                                        "f.rowid", "+") "LIMIT ?)) FROM cand c "
                                                                        "ORDER BY c.r, c.pk")
SQL(SQL_GC_SEARCH_POSTGRES, GC_KEYS_CTE GC_SOURCES_CTE
    "cand AS MATERIALIZED (SELECT i.pk AS pk, ts_rank(i.fts, q.q) AS r "
    "FROM gc_items i, (SELECT plainto_tsquery('simple', ?) AS q) q WHERE i.fts @@ q.q "
    "ORDER BY r DESC, pk LIMIT ?) SELECT c.pk, " GC_ACL_OK(
        "c.pk",
        "") ", (SELECT COUNT(*) FROM "
            "(SELECT 1 FROM gc_items i WHERE i.fts @@ plainto_tsquery('simple', ?) " GC_ACL_TRIM(
                "i.pk", "") "LIMIT ?) x) FROM cand c ORDER BY c.r DESC, c.pk")

/* A hit as the search shows it. */
SQL(SQL_GC_SEARCH_HIT_SQLITE,
    "SELECT c.id, i.id, i.properties, c.schema_json, f.title, f.body FROM gc_items i "
    "JOIN gc_connections c ON c.pk = i.conn_pk JOIN gc_fts f ON f.rowid = i.pk WHERE i.pk = ?")
SQL(SQL_GC_SEARCH_HIT_POSTGRES,
    "SELECT c.id, i.id, i.properties, c.schema_json, i.search_title, i.search_body "
    "FROM gc_items i JOIN gc_connections c ON c.pk = i.conn_pk WHERE i.pk = ?")
