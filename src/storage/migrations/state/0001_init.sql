-- Version 1 of the controller state store.
--
-- meta: what this file is and the last sequence number ever assigned (kept here so that
-- numbers never repeat, even after a snapshot has dropped every log record).
-- log: the write-ahead log, one row per record; seq is the rowid, so appends are in order.
-- snapshot: at most one row, the newest snapshot, taken after record `seq`.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value ANY NOT NULL
) STRICT, WITHOUT ROWID;

INSERT INTO meta (key, value) VALUES ('kind', 'drover-state-store'), ('last_seq', 0);

CREATE TABLE log (
  seq INTEGER PRIMARY KEY,
  payload BLOB NOT NULL
) STRICT;

CREATE TABLE snapshot (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq INTEGER NOT NULL,
  payload BLOB NOT NULL
) STRICT;
