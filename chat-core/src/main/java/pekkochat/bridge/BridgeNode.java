package pekkochat.bridge;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every part of the bridge on one node shares: its settings, its Redis names, the wire
 * codec, this node's bridge id (its node id and a per-process suffix, so that a restarted node is
 * a new holder that waits for its old leases to run out), the publisher and the leases.
 * {@code redisState} hears whether the node's Redis subscription stands.
 */
record BridgeNode(
    BridgeSettings settings,
    BridgeChannels names,
    BridgeCodec codec,
    String self,
    ActorRef<RedisPublisher.Command> publisher,
    RoomLease lease,
    Consumer<Boolean> redisState) {}
