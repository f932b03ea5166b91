/*
 * sql_teams.h: the SQL of teams.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
#define TEAM_COLS                                                                                  \
    "t.id, t.display_name, t.description, t.allow_connectors, t.created_at, "                      \
    "COALESCE(t.connectors_enabled, -1), t.visibility"
#define CHANNEL_COLS                                                                               \
    "id, team_id, display_name, description, membership_type, is_general, created_at"
#define MEMBER_COLS "m.id, m.team_id, m.user_id, m.role, u.display_name, m.created_at"
SQL(SQL_CHANNEL_INSERT, "INSERT INTO channels (id, team_id, display_name, name_lower, description, "
                        "membership_type, is_general, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
SQL(SQL_MEMBER_INSERT, "INSERT INTO members (id, team_id, user_id, role, created_at) "
                       "VALUES (?, ?, ?, ?, ?)")
SQL(SQL_TEAM_CREATE,
    "INSERT INTO teams (id, display_name, description, allow_connectors, created_at, visibility) "
    "VALUES (?, ?, ?, ?, ?, ?)")
SQL(SQL_TEAM_SET_VISIBILITY, "UPDATE teams SET visibility = ? WHERE id = ?")
/* The directory: public teams and the caller's own (every team for administrators). */
SQL(SQL_TEAM_LIST_DIRECTORY,
    "SELECT " TEAM_COLS " FROM teams t WHERE ? = 1 OR t.visibility = 'public' OR EXISTS "
    "(SELECT 1 FROM members m WHERE m.team_id = t.id AND m.user_id = ?) "
    "ORDER BY t.display_name, t.id")
SQL(SQL_MEMBER_SET_ROLE, "UPDATE members SET role = ? WHERE team_id = ? AND id = ?")
SQL(SQL_TEAM_GET, "SELECT " TEAM_COLS " FROM teams t WHERE t.id = ?")
SQL(SQL_TEAM_ALLOW, "UPDATE teams SET allow_connectors = ? WHERE id = ?")
SQL(SQL_TEAM_CLEAR_CONNECTORS_ENABLED, "UPDATE teams SET connectors_enabled = NULL WHERE id = ?")
SQL(SQL_TEAM_SET_CONNECTORS_ENABLED, "UPDATE teams SET connectors_enabled = ? WHERE id = ?")
SQL(SQL_TEAM_LIST_FOR_USER, "SELECT " TEAM_COLS " FROM teams t JOIN members m ON m.team_id = t.id "
                            "WHERE m.user_id = ? ORDER BY t.created_at, t.id")
SQL(SQL_CHANNEL_GET, "SELECT " CHANNEL_COLS " FROM channels WHERE id = ?")
SQL(SQL_CHANNEL_LIST, "SELECT " CHANNEL_COLS " FROM channels WHERE team_id = ? "
                      "ORDER BY is_general DESC, created_at, id")
SQL(SQL_MEMBER_GET, "SELECT " MEMBER_COLS " FROM members m JOIN users u ON u.id = m.user_id "
                    "WHERE m.team_id = ? AND m.id = ?")
SQL(SQL_MEMBER_LIST, "SELECT " MEMBER_COLS " FROM members m JOIN users u ON u.id = m.user_id "
                     "WHERE m.team_id = ? ORDER BY m.created_at, m.id")
SQL(SQL_MEMBER_ROLE, "SELECT role FROM members WHERE team_id = ? AND user_id = ?")
SQL(SQL_MEMBER_DELETE_LOCK_TEAM, "UPDATE teams SET id = id WHERE id = ?")
SQL(SQL_MEMBER_DELETE_IS_OWNER,
    "SELECT COUNT(*) FROM members WHERE id = ? AND team_id = ? AND role = ?")
SQL(SQL_MEMBER_DELETE_COUNT_OWNERS, "SELECT COUNT(*) FROM members WHERE team_id = ? AND role = ?")
SQL(SQL_MEMBER_DELETE_USER, "SELECT user_id FROM members WHERE id = ? AND team_id = ?")
SQL(SQL_MEMBER_DELETE, "DELETE FROM members WHERE team_id = ? AND id = ?")
