-- Read marks and invites: room state that is not on the timeline, so it is kept out of the
-- room's journal (whose sequence numbers are the room's seqs). Times are epoch milliseconds.

CREATE TABLE read_marks (
  room_id  VARCHAR(255) NOT NULL,
  username VARCHAR(32)  NOT NULL,
  seq      BIGINT       NOT NULL,
  PRIMARY KEY (room_id, username)
);

-- Only a hash of each invite code is stored; max_uses NULL means no limit.
CREATE TABLE room_invites (
  code_hash  VARCHAR(64)  NOT NULL PRIMARY KEY,
  room_id    VARCHAR(255) NOT NULL,
  created_by VARCHAR(32)  NOT NULL,
  created_at BIGINT       NOT NULL,
  expires_at BIGINT       NOT NULL,
  max_uses   INTEGER,
  uses       INTEGER      NOT NULL DEFAULT 0,
  revoked    BOOLEAN      NOT NULL DEFAULT FALSE
);

CREATE INDEX room_invites_room_idx ON room_invites (room_id);
