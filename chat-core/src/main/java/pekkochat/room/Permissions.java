package pekkochat.room;

import java.util.Optional;

/**
 * Who may do what in a room (PROTOCOL.md section 3 and 4). Each rule answers the refusal, or
 * empty when allowed; {@code actor}/{@code target} are empty for non-members.
 */
public final class Permissions {
  private Permissions() {}

  /** Owner only; the owner's own role is fixed; the new role is admin or member. */
  public static Optional<Refusal> setRole(Optional<Role> actor, Optional<Role> target, Role newRole) {
    if (actor.isEmpty() || actor.get() != Role.OWNER) return Optional.of(Refusal.FORBIDDEN);
    if (target.isEmpty()) return Optional.of(Refusal.NOT_FOUND);
    if (target.get() == Role.OWNER || newRole == Role.OWNER) return Optional.of(Refusal.BAD_REQUEST);
    return Optional.empty();
  }

  /**
   * Anyone but the owner may leave (the owner would leave the room without one); owners and
   * admins remove members of a lower role.
   */
  public static Optional<Refusal> remove(boolean self, Optional<Role> actor, Optional<Role> target) {
    if (actor.isEmpty()) return Optional.of(Refusal.FORBIDDEN);
    if (target.isEmpty()) return Optional.of(Refusal.NOT_FOUND);
    if (self) return actor.get() == Role.OWNER ? Optional.of(Refusal.FORBIDDEN) : Optional.empty();
    if (actor.get() == Role.MEMBER || !actor.get().outranks(target.get())) return Optional.of(Refusal.FORBIDDEN);
    return Optional.empty();
  }

  /** Only the author edits. */
  public static Optional<Refusal> edit(boolean author, Optional<Role> actor) {
    return actor.isPresent() && author ? Optional.empty() : Optional.of(Refusal.FORBIDDEN);
  }

  /** The author, an admin or the owner deletes. */
  public static Optional<Refusal> delete(boolean author, Optional<Role> actor) {
    if (actor.isEmpty()) return Optional.of(Refusal.FORBIDDEN);
    return author || actor.get() != Role.MEMBER ? Optional.empty() : Optional.of(Refusal.FORBIDDEN);
  }

  /** Owners and admins make and revoke invites. */
  public static Optional<Refusal> manageInvites(Optional<Role> actor) {
    return actor.isPresent() && actor.get() != Role.MEMBER ? Optional.empty() : Optional.of(Refusal.FORBIDDEN);
  }
}
