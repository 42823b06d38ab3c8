package pekkochat.fanout;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** The rooms a user is a member of (the room directory in a node, a map in a test). */
@FunctionalInterface
public interface MemberRooms {
  CompletionStage<List<String>> of(String user);
}
