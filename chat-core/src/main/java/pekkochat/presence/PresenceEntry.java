package pekkochat.presence;

import pekkochat.common.CborSerializable;

/**
 * What one node says of one user with sockets on it: the status the user last chose and when they
 * chose it (epoch ms). Across nodes the newest statement wins, so "away" said on one device holds
 * on every node until the user says otherwise.
 */
public record PresenceEntry(PresenceStatus status, long statedAtMillis) implements CborSerializable {
  /** The newer of two statements; on a tie, online. */
  public static PresenceEntry newer(PresenceEntry a, PresenceEntry b) {
    if (a == null) return b;
    if (b == null) return a;
    if (a.statedAtMillis != b.statedAtMillis) return a.statedAtMillis > b.statedAtMillis ? a : b;
    return a.status == PresenceStatus.ONLINE ? a : b;
  }
}
