package pekkochat.connection;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * The node's one keep-alive clock: every socket gets a WebSocket ping once per
 * {@code ping-interval} (PROTOCOL.md section 5), with no timer per socket. Sockets are spread
 * over {@code slices} sets; each tick pings one set, so 100k sockets are not woken at once.
 */
final class Heartbeat {
  private final Set<Outbound>[] slices;
  private final AtomicInteger ticked = new AtomicInteger();

  @SuppressWarnings("unchecked")
  Heartbeat(ActorSystem<?> system, Duration interval, int sliceCount) {
    slices = new Set[sliceCount];
    for (int i = 0; i < sliceCount; i++) slices[i] = ConcurrentHashMap.newKeySet();
    Duration tick = interval.dividedBy(sliceCount);
    system.scheduler().scheduleAtFixedRate(tick, tick, this::tick, system.executionContext());
  }

  void add(Outbound socket) {
    slice(socket).add(socket);
  }

  void remove(Outbound socket) {
    slice(socket).remove(socket);
  }

  /** Events queued over every open socket: a scrape-time sample, not a running total. */
  long queuedTotal() {
    long total = 0;
    for (Set<Outbound> slice : slices) {
      for (Outbound socket : slice) total += socket.queued();
    }
    return total;
  }

  /** The deepest queue of any open socket, sampled the same way. */
  int deepestQueue() {
    int deepest = 0;
    for (Set<Outbound> slice : slices) {
      for (Outbound socket : slice) deepest = Math.max(deepest, socket.queued());
    }
    return deepest;
  }

  private Set<Outbound> slice(Outbound socket) {
    return slices[Math.floorMod(System.identityHashCode(socket), slices.length)];
  }

  private void tick() {
    Set<Outbound> slice = slices[Math.floorMod(ticked.getAndIncrement(), slices.length)];
    for (Outbound socket : slice) socket.ping();
  }
}
