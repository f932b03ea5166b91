#!/usr/bin/env python3
"""Messages for the history benchmark (scripts/bench): N webhook messages in one channel, copied
from the messages the server itself stored for real webhook posts (the templates: the channel's
root messages already in the store), so every row is what the server writes for a card. Each
copy gets its own message id (time-ordered, UUIDv7-like, so the unique index on ids is filled in
order), its own attachment id (in the body's <attachment> tag and the attachment), a creation
time one second after the previous one, and its own build number where the template says 1234.
One message in REACT_EVERY gets a reaction from REACTOR.

The rows are made by the database itself in one INSERT ... SELECT over a generated series, in
seq order (every index is appended to, no page is split in the middle):
  sqlite DB CHANNEL N REACTOR   runs it on a stopped server's database. The FTS5 triggers of
                                migration 014 are dropped during the load and put back after:
                                the copies' search text is stored but not in the FTS index (the
                                history bench does not search; FTS5 indexing is most of the
                                197 s per million conversation-gen.py takes).
  pg CHANNEL N REACTOR < TEMPLATES.tsv   prints the SQL for psql: TEMPLATES.tsv is
                                `COPY (SELECT ...) TO STDOUT` of TEMPLATE_COLS. The copies'
                                search_text is empty: PostgreSQL computes the generated tsvector
                                of every row, which would double the load time. The foreign-key
                                triggers are off for the load (session_replication_role).
"""
import re
import sqlite3
import sys
import time

TEMPLATE_COLS = ["team_id", "from_kind", "from_id", "from_name", "body_type", "body", "summary",
                 "attachments", "from_image", "search_text"]
REACT_EVERY = 20
START_MS = 1767225600000  # 2026-01-01T00:00:00Z, one message a second from there


def lit(v):
    return "NULL" if v is None else "'" + v.replace("'", "''") + "'"


def attachment_id(body):
    """The id in the body's <attachment id="..."> tag (webhook cards), or None."""
    tag = '<attachment id="'
    at = body.find(tag)
    return body[at + len(tag):body.index('"', at + len(tag))] if at >= 0 else None


def pick(i, k, values):
    """A CASE choosing values[i % k] (literals: the statement carries the templates)."""
    if k == 1:
        return values[0]
    return "CASE %s %% %d %s END" % (i, k, " ".join("WHEN %d THEN %s" % (j, v) for j, v in enumerate(values)))


def select_sql(dialect, templates, channel, n, ms0):
    """(the copies' columns in COLS order, the SELECT of each row's own values over {FROM}: i,
    mid, aid, num, created) for rows i = 0..n-1."""
    k = len(templates)
    cat = " || "
    if dialect == "sqlite":
        hexf = lambda width, e: "printf('%%0%dx', %s)" % (width, e)
        created = "strftime('%%Y-%%m-%%dT%%H:%%M:%%fZ', (%d + i * 1000) / 1000.0, 'unixepoch')" % ms0
        num = "CAST(1000 + i % 9000 AS TEXT)"
    else:
        hexf = lambda width, e: "lpad(to_hex((%s)::bigint), %d, '0')" % (e, width)
        created = "to_char(to_timestamp((%d + i * 1000) / 1000.0) AT TIME ZONE 'UTC', " \
                  "'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')" % ms0
        num = "(1000 + i % 9000)::text"
    ms = "(%d + i * 1000)" % ms0
    # id: 48 bits of time-ordered counter, then version 7 and pseudo-random bits from i.
    mid = cat.join([
        hexf(8, "%s / 65536" % ms), "'-'", hexf(4, "%s %% 65536" % ms), "'-7'",
        hexf(3, "(i * 40503) % 4096"), "'-'", hexf(4, "32768 + (i * 2654435761) % 16384"), "'-'",
        hexf(12, "((i + 7) * 2654435761) % 281474976710656")])
    aid = cat.join([
        hexf(8, "((i + 3) * 2246822519) % 4294967296"), "'-'", hexf(4, "(i * 3266489917) % 65536"),
        "'-4'", hexf(3, "(i * 668265263) % 4096"), "'-'", hexf(4, "32768 + (i * 374761393) % 16384"),
        "'-'", hexf(12, "((i + 11) * 2246822519) % 281474976710656")])
    col = lambda name: [lit(t[name]) for t in templates]
    # The row's own values are computed once, in a subquery the planner keeps (OFFSET 0), and
    # spliced into the templates' text by concatenation: replace() over a 1 KB card costs more
    # than the insert of the row.
    def subst(name, pairs):
        return pick("i", k, [splice(t[name], [(old(t), new) for old, new in pairs]) for t in templates])
    att = lambda t: t["_att"]
    build = lambda t: "1234"
    body = subst("body", [(att, "aid")])
    attachments = subst("attachments", [(att, "aid"), (build, "num")])
    summary = subst("summary", [(build, "num")])
    search = subst("search_text", [(build, "num")]) if dialect == "sqlite" else "''"
    fence = "LIMIT -1" if dialect == "sqlite" else "OFFSET 0"
    values = "SELECT i, %s AS mid, %s AS aid, %s AS num, %s AS created FROM {FROM} %s" % (
        mid, aid, num, created, fence)
    return ("mid, %s, %s, created, %s, %s, %s, %s, %s, %s, %s, %s, %s" % (
        pick("i", k, col("team_id")), lit(channel), pick("i", k, col("from_kind")),
        pick("i", k, col("from_id")), pick("i", k, col("from_name")), pick("i", k, col("body_type")),
        body, summary, attachments, pick("i", k, col("from_image")), search), values)


def splice(text, pairs):
    """text with each occurrence of a pair's old text replaced by its expression (a SQL
    concatenation of literals and expressions); NULL stays NULL."""
    pairs = [(old, new) for old, new in pairs if old]
    if text is None or not pairs:
        return lit(text)
    by_old = dict(pairs)
    parts, pos = [], 0
    for m in re.finditer("|".join(re.escape(old) for old, _ in pairs), text):
        parts += [lit(text[pos:m.start()]), by_old[m.group(0)]]
        pos = m.end()
    parts.append(lit(text[pos:]))
    return "(" + " || ".join(p for p in parts if p != "''") + ")" if len(parts) > 1 else parts[0]


COLS = "id, team_id, channel_id, created_at, from_kind, from_id, from_name, body_type, body, " \
       "summary, attachments, from_image, search_text"


def with_att(templates):
    for t in templates:
        t["_att"] = attachment_id(t["body"])
    return templates


def run_sqlite(db_path, channel, n, reactor):
    db = sqlite3.connect(db_path, isolation_level=None)
    db.row_factory = sqlite3.Row
    templates = with_att([dict(r) for r in db.execute(
        "SELECT %s FROM messages WHERE channel_id = ? AND reply_to IS NULL ORDER BY seq" %
        ", ".join(TEMPLATE_COLS), (channel,))])
    if not templates:
        sys.exit("history-gen: the channel has no message to copy")
    triggers = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND "
                          "tbl_name = 'messages' AND name LIKE 'messages_fts_%'").fetchall()
    # No rollback journal and no WAL for the load (a failed load leaves a database to throw
    # away): every page is written once. The server's WAL mode is set back at the end.
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-262144")
    base = db.execute("SELECT COALESCE(MAX(seq), 0) FROM messages").fetchone()[0]
    sel, values = select_sql("sqlite", templates, channel, n, START_MS)
    db.execute("BEGIN")
    for t in triggers:
        db.execute("DROP TRIGGER %s" % t["name"])
    db.execute("WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < %d) "
               "INSERT INTO messages (seq, %s) SELECT %d + 1 + i, %s FROM (%s)" %
               (n - 1, COLS, base, sel, values.replace("{FROM}", "g")))
    db.execute("WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + %d FROM g WHERE i < %d) "
               "INSERT INTO message_reactions (message_id, user_id, reaction_type, created) "
               "SELECT mid, ?, 'like', created FROM (%s)" % (REACT_EVERY, n - REACT_EVERY, values.replace("{FROM}", "g")),
               (reactor,))
    for t in triggers:
        db.execute(t["sql"])
    db.execute("COMMIT")
    db.execute("ANALYZE")
    db.execute("PRAGMA journal_mode=WAL")
    db.close()


def run_pg(channel, n, reactor):
    templates = []
    for line in sys.stdin.read().splitlines():
        vals = [None if v == "\\N" else v.encode().decode("unicode_escape").encode("latin-1").decode()
                for v in line.split("\t")]
        templates.append(dict(zip(TEMPLATE_COLS, vals)))
    if not templates:
        sys.exit("history-gen: the channel has no message to copy")
    with_att(templates)
    sel, values = select_sql("pg", templates, channel, n, START_MS)
    print("\\set ON_ERROR_STOP 1")
    print("BEGIN;")
    # The rows are consistent by construction (the templates' team and channel): no foreign-key
    # trigger per row (a superuser setting, as the bench cluster's user is).
    print("SET LOCAL session_replication_role = replica;")
    print("INSERT INTO messages (%s) SELECT %s FROM (%s) AS v ORDER BY i;" %
          (COLS, sel, values.replace("{FROM}", "generate_series(0::bigint, %d) AS g(i)" % (n - 1))))
    print("INSERT INTO message_reactions (message_id, user_id, reaction_type, created) SELECT mid, "
          "%s, 'like', created FROM (%s) AS v;" %
          (lit(reactor), values.replace("{FROM}", "generate_series(0::bigint, %d, %d) AS g(i)" % (n - 1, REACT_EVERY))))
    print("COMMIT;")
    print("VACUUM ANALYZE messages;")
    print("VACUUM ANALYZE message_reactions;")


def main():
    t0 = time.time()
    if len(sys.argv) == 6 and sys.argv[1] == "sqlite":
        run_sqlite(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
        print("history-gen: %d messages in %.0f s" % (int(sys.argv[4]), time.time() - t0), file=sys.stderr)
    elif len(sys.argv) == 5 and sys.argv[1] == "pg":
        run_pg(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        sys.exit(__doc__)


main()
