package pekkochat.room;

/** Whether anyone may see and join a room, or only its members. */
public enum Visibility {
  PUBLIC, PRIVATE;

  /** The wire and storage name: {@code public} or {@code private}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static java.util.Optional<Visibility> fromWire(String name) {
    for (Visibility v : values()) if (v.wireName().equals(name)) return java.util.Optional.of(v);
    return java.util.Optional.empty();
  }
}
