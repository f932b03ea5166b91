/*
 * sql_store.h: the SQL of the store's own machinery: store.c (the batch), migrate.c and
 * meta.c (private to store/).
 *
 * No include guard on purpose: sql.h includes it with SQL(name, text) defined to make the
 * enum of statement names, sql.c to make the table of their text.
 */
SQL(SQL_BATCH_SAVEPOINT, "SAVEPOINT w")
SQL(SQL_BATCH_ROLLBACK, "ROLLBACK TO w")
SQL(SQL_BATCH_RELEASE, "RELEASE w")
SQL(SQL_BATCH_COMMIT, "COMMIT")
SQL(SQL_MIGRATION_APPLIED, "SELECT 1 FROM schema_migrations WHERE version = ?")
SQL(SQL_MIGRATION_RECORD, "INSERT INTO schema_migrations (version, name) VALUES (?, ?)")
SQL(SQL_STORE_PING, "SELECT 1")
SQL(SQL_META_INIT, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING")
SQL(SQL_META_GET, "SELECT value FROM meta WHERE key = ?")
