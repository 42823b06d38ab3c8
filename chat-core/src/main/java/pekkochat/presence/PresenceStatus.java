package pekkochat.presence;

import java.util.Locale;

public enum PresenceStatus {
  ONLINE, AWAY, OFFLINE;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
