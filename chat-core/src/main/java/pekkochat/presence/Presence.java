package pekkochat.presence;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Who is online (PROTOCOL.md section 4): a user is online from their first open socket, away
 * when they say so, offline when their last socket closes. Sockets report here; changes are
 * announced to the members of the user's rooms. This node-local backend sees only its own node's
 * sockets; a cluster or Redis backend implements the same interface across nodes.
 */
public interface Presence {
  /** A socket of {@code user} opened; its end (the actor stopping) is noticed without a call. */
  void connected(String user, ActorRef<?> socket);

  /** The user said {@code online} or {@code away}. */
  void statusSet(String user, PresenceStatus status);

  CompletionStage<Map<String, PresenceStatus>> lookup(Collection<String> users);
}
