-- Users, the rooms read model and WebSocket tickets. Times are epoch milliseconds.
-- room_members has no foreign key to rooms: the RoomActor writes this read model
-- asynchronously, and a member row may land before its room row.

CREATE TABLE users (
  username      VARCHAR(32)  NOT NULL PRIMARY KEY,
  password_hash VARCHAR(255) NOT NULL,
  created_at    BIGINT       NOT NULL
);

CREATE TABLE rooms (
  id         VARCHAR(255) NOT NULL PRIMARY KEY,
  name       VARCHAR      NOT NULL,
  visibility VARCHAR(16)  NOT NULL CHECK (visibility IN ('public', 'private')),
  owner      VARCHAR(32)  NOT NULL,
  created_at BIGINT       NOT NULL
);

CREATE INDEX rooms_visibility_idx ON rooms (visibility);

CREATE TABLE room_members (
  room_id  VARCHAR(255) NOT NULL,
  username VARCHAR(32)  NOT NULL,
  role     VARCHAR(16)  NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  PRIMARY KEY (room_id, username)
);

CREATE INDEX room_members_username_idx ON room_members (username);

CREATE TABLE ws_tickets (
  ticket_hash           VARCHAR(64) NOT NULL PRIMARY KEY,
  username              VARCHAR(32) NOT NULL,
  expires_at            BIGINT      NOT NULL,
  credential_expires_at BIGINT      NOT NULL
);

CREATE INDEX ws_tickets_expires_at_idx ON ws_tickets (expires_at);
