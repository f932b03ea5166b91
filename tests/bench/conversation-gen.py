#!/usr/bin/env python3
"""Messages for the conversation benchmark (tests/bench/conversation.mjs), written as the server
would store them: straight into a stopped SQLite database, or as two tab-separated files for
PostgreSQL's COPY.

Text: 12 words per message from a vocabulary of 20,000 made-up words drawn with a Zipf
distribution (s = 1), the same vocabulary as search-gen.py. The search text is the one
store/message_search.c computes: a plain-text body is its own search text; the messages that
mention someone are html (`<p><at id="0">Name</at> words</p>`), whose search text drops the tags
("Name words"). Channels are drawn uniformly, senders uniformly among USERS; one message in
MENTION_EVERY mentions MENTIONED (a row of message_mentions, as the server writes it).

usage: conversation-gen.py sqlite DB N SEED CHANNELS USERS MENTIONED
       conversation-gen.py tsv PREFIX N SEED CHANNELS USERS MENTIONED
  CHANNELS: team:channel,...   USERS: id:name,...   MENTIONED: id:name
Prints the vocabulary (most frequent first) as JSON on stdout.
"""
import bisect
import json
import random
import sqlite3
import sys
import time
import uuid

kind, target, n, seed = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
channels = [c.split(":") for c in sys.argv[5].split(",")]
users = [u.split(":", 1) for u in sys.argv[6].split(",")]
mentioned = sys.argv[7].split(":", 1)
MENTION_EVERY = 200
WORDS = 12
rnd = random.Random(seed)

SYL = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "ve", "da", "zen", "qua", "bri", "ost", "el", "fu"]
vocab = []
seen = set()
vr = random.Random(42)  # the vocabulary does not depend on the seed
while len(vocab) < 20000:
    w = "".join(vr.choice(SYL) for _ in range(vr.randint(2, 4)))
    if w not in seen:
        seen.add(w)
        vocab.append(w)
cum = []
t = 0.0
for r in range(len(vocab)):
    t += 1.0 / (r + 1)
    cum.append(t)


def words():
    return " ".join(vocab[bisect.bisect_left(cum, rnd.random() * t)] for _ in range(WORDS))


def rows():
    """(message row, mention row or None) in the order they are stored."""
    for i in range(n):
        team, channel = channels[rnd.randrange(len(channels))]
        uid, uname = users[rnd.randrange(len(users))]
        mid = str(uuid.UUID(int=rnd.getrandbits(128), version=4))
        ms = 1767225600000 + i * 1000  # 2026-01-01, one message a second
        created = "%s.%03dZ" % (time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)), ms % 1000)
        text = words()
        if i % MENTION_EVERY == 0 and uid != mentioned[0]:
            body = '<p><at id="0">%s</at> %s</p>' % (mentioned[1], text)
            msg = (mid, team, channel, created, "user", uid, uname, "html", body,
                   "%s %s" % (mentioned[1], text))
            yield msg, (mid, 0, channel, "user", mentioned[0], mentioned[1], mentioned[1])
        else:
            yield (mid, team, channel, created, "user", uid, uname, "text", text, text), None


if kind == "sqlite":
    db = sqlite3.connect(target)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    # The unique index on the random message ids takes its inserts all over the tree: with
    # SQLite's default 2 MiB cache most of them read a page back (minutes for 1,000,000 rows).
    db.execute("PRAGMA cache_size=-1048576")
    base = db.execute("SELECT COALESCE(MAX(seq), 0) FROM messages").fetchone()[0]
    msgs, ments = [], []

    def flush():
        db.executemany(
            "INSERT INTO messages (seq, id, team_id, channel_id, created_at, from_kind, from_id, "
            "from_name, body_type, body, search_text) VALUES (?,?,?,?,?,?,?,?,?,?,?)", msgs)
        db.executemany(
            "INSERT INTO message_mentions (message_id, mention_id, channel_id, seq, target_kind, "
            "target_id, mention_text, display_name) VALUES (?,?,?,?,?,?,?,?)", ments)
        msgs.clear()
        ments.clear()

    for i, (m, x) in enumerate(rows()):
        seq = base + 1 + i
        msgs.append((seq,) + m)
        if x:
            ments.append((x[0], x[1], x[2], seq) + x[3:])
        if len(msgs) == 10000:
            flush()
    flush()
    db.commit()
    db.close()
else:
    with open(target + ".messages.tsv", "w") as fm, open(target + ".mentions.tsv", "w") as fx:
        for m, x in rows():
            fm.write("\t".join(m) + "\n")
            if x:
                fx.write("\t".join(str(v) for v in x) + "\n")
print(json.dumps(vocab))
