package pekkochat.room;

/** A member's role in a room; a higher rank may act on a lower one. */
public enum Role {
  MEMBER(0), ADMIN(1), OWNER(2);

  private final int rank;

  Role(int rank) {
    this.rank = rank;
  }

  public boolean outranks(Role other) {
    return rank > other.rank;
  }

  /** The wire and storage name: {@code owner}, {@code admin}, {@code member}. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static java.util.Optional<Role> fromWire(String name) {
    for (Role r : values()) if (r.wireName().equals(name)) return java.util.Optional.of(r);
    return java.util.Optional.empty();
  }
}
