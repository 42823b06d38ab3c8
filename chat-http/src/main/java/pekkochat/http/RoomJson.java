package pekkochat.http;

import java.util.List;
import pekkochat.room.Role;
import pekkochat.room.RoomActor;
import pekkochat.room.RoomInfo;
import pekkochat.storage.RoomListing;

/** Rooms as PROTOCOL.md section 3 shows them; {@code role} is the caller's, or null. */
record RoomJson(String id, String name, String visibility, String owner, long createdAt, long seq, String role) {

  record Member(String user, String role) {}

  /** {@code GET /api/rooms/{id}}: the room and its members. */
  record Detailed(
      String id, String name, String visibility, String owner, long createdAt, long seq, String role,
      List<Member> members) {}

  static RoomJson of(RoomListing listing) {
    var r = listing.room();
    return new RoomJson(r.id(), r.name(), r.visibility().wireName(), r.owner(), r.createdAt(), listing.seq(),
        listing.role().map(Role::wireName).orElse(null));
  }

  static RoomJson of(RoomActor.RoomView view) {
    RoomInfo r = view.info();
    return new RoomJson(r.id(), r.name(), r.visibility().wireName(), r.owner(), r.createdAt(), view.head(),
        view.callerRole() == null ? null : view.callerRole().wireName());
  }

  static Detailed detailed(RoomActor.RoomView view, List<RoomActor.MemberView> memberViews) {
    RoomJson room = of(view);
    List<Member> members = memberViews.stream().map(m -> new Member(m.user(), m.role().wireName())).toList();
    return new Detailed(room.id(), room.name(), room.visibility(), room.owner(), room.createdAt(), room.seq(),
        room.role(), members);
  }

  record Listing(List<RoomJson> rooms) {}
}
