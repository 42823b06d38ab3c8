package pekkochat.presence;

/** Tells the members of a user's rooms that the user's presence changed. */
@FunctionalInterface
public interface PresenceAnnouncer {
  void announce(String user, PresenceStatus status);
}
