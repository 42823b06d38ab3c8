package pekkochat.room;

import com.typesafe.config.Config;
import java.time.Duration;

/** The bounds of a room, from {@code chat.room} in application.conf. */
public record RoomSettings(
    int recentWindow,
    int dedupWindow,
    int catchUpDefault,
    int catchUpMax,
    int maxReplyBytes,
    int historyDefaultLimit,
    int historyMaxLimit,
    int snapshotEvery,
    int snapshotsKept,
    Duration passivateAfter,
    Duration typingInterval,
    Duration inviteDefaultTtl,
    Duration inviteMaxTtl,
    Duration marksRetry,
    int maxBatch,
    Duration journalBackoffMin,
    Duration journalBackoffMax,
    Duration unknownRoomLinger) {

  public RoomSettings {
    // Catch-up is served from memory only, so the window must hold the largest catch-up.
    if (recentWindow < catchUpMax || recentWindow < catchUpDefault) {
      throw new IllegalArgumentException(
          "chat.room.recent-window (" + recentWindow + ") must be >= catch-up-max (" + catchUpMax + ")");
    }
  }

  public static RoomSettings fromConfig(Config room) {
    return new RoomSettings(
        room.getInt("recent-window"),
        room.getInt("dedup-window"),
        room.getInt("catch-up-default"),
        room.getInt("catch-up-max"),
        (int) room.getMemorySize("max-reply-bytes").toBytes(),
        room.getInt("history-default-limit"),
        room.getInt("history-max-limit"),
        room.getInt("snapshot-every"),
        room.getInt("snapshots-kept"),
        room.getDuration("passivate-after"),
        room.getDuration("typing-interval"),
        room.getDuration("invite-default-ttl"),
        room.getDuration("invite-max-ttl"),
        room.getDuration("read-marks-retry"),
        room.getInt("max-batch"),
        room.getDuration("journal-backoff.min"),
        room.getDuration("journal-backoff.max"),
        room.getDuration("unknown-room-linger"));
  }
}
