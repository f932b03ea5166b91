/*
 * sql_search.h: the SQL of message_search.c (private to store/).
 *
 * No include guard on purpose: see sql.h. The full-text index differs by driver (an FTS5
 * table on SQLite, a tsvector column on PostgreSQL), so the search comes in two dialects;
 * the rest is shared. The pages select MESSAGE_COLS (sql_messages.h, included before this
 * file) and the search text after them.
 */
SQL(SQL_MESSAGE_SEARCH_SOURCE, "SELECT seq, body_type, body, summary, attachments FROM messages "
                               "WHERE id = ?")
SQL(SQL_MESSAGE_SEARCH_PENDING, "SELECT seq, body_type, body, summary, attachments FROM messages "
                                "WHERE search_text IS NULL ORDER BY seq LIMIT ?")
SQL(SQL_MESSAGE_SEARCH_SET, "UPDATE messages SET search_text = ? WHERE seq = ?")
/* SQLite's writer only: the search text of the batch's new messages waits in a temporary table
 * of the writer connection (sqlite.c makes it) and is set in one statement before the COMMIT.
 * A message edited later in the same batch already has its new text: the flush skips it. */
SQL(SQL_MESSAGE_INDEX_DEFER, "INSERT INTO temp.index_pending (seq, search_text) VALUES (?, ?)")
SQL(SQL_MESSAGE_INDEX_FLUSH, "UPDATE messages SET search_text = p.search_text "
                             "FROM temp.index_pending AS p WHERE messages.seq = p.seq AND "
                             "messages.search_text IS NULL")
SQL(SQL_MESSAGE_INDEX_CLEAR, "DELETE FROM temp.index_pending")

/* Messages that are there (not soft-deleted; replies included) of the teams searched: the
 * person's (? = 0) or every team (? = 1). Newest first: in a channel
 * what was said last is what people look for, and it is the order both indexes walk cheaply:
 * FTS5 hands out rowids (= seq) in descending order without sorting, so a page stops after
 * its rows; the count is bounded by its LIMIT for the same reason. */
#define MSG_SEARCH_TEAMS                                                                           \
    "AND m.deleted_at IS NULL AND "                                                                \
    "(? = 1 OR m.team_id IN (SELECT team_id FROM members WHERE user_id = ?)) "
#define MSG_SEARCH_SQLITE                                                                          \
    "FROM message_fts f JOIN messages m ON m.seq = f.rowid WHERE message_fts MATCH "               \
    "? " MSG_SEARCH_TEAMS
#define MSG_SEARCH_POSTGRES                                                                        \
    "FROM messages m WHERE m.search_tsv @@ plainto_tsquery('simple', ?) " MSG_SEARCH_TEAMS
SQL(SQL_MESSAGE_SEARCH_SQLITE, "SELECT " MESSAGE_COLS ", m.search_text " MSG_SEARCH_SQLITE
                               "ORDER BY f.rowid DESC LIMIT ? OFFSET ?")
SQL(SQL_MESSAGE_SEARCH_COUNT_SQLITE, "SELECT COUNT(*) FROM (SELECT 1 " MSG_SEARCH_SQLITE "LIMIT ?)")
SQL(SQL_MESSAGE_SEARCH_POSTGRES, "SELECT " MESSAGE_COLS ", m.search_text " MSG_SEARCH_POSTGRES
                                 "ORDER BY m.seq DESC LIMIT ? OFFSET ?")
SQL(SQL_MESSAGE_SEARCH_COUNT_POSTGRES,
    "SELECT COUNT(*) FROM (SELECT 1 " MSG_SEARCH_POSTGRES "LIMIT ?) c")
