package pekkochat.bridge;

/**
 * The names of the bridge's Redis keys and channels, all under one namespace so that several
 * deployments (or test runs) share a Redis server: a room's lease and its event channel, and
 * each node's inbox, which carries commands to the rooms it writes and the answers to its own.
 */
record BridgeChannels(String namespace) {

  String lease(String roomId) {
    return namespace + ":lease:" + roomId;
  }

  String room(String roomId) {
    return namespace + ":room:" + roomId;
  }

  /** Every room's event channel, for one pattern subscription. */
  String roomPattern() {
    return namespace + ":room:*";
  }

  /** The room id of an event channel's name. */
  String roomOf(String channel) {
    return channel.substring(namespace.length() + ":room:".length());
  }

  /** Every node's presence changes, as they happen. */
  String presence() {
    return namespace + ":presence";
  }

  /** What one node says of the users with sockets on it: user → status and when it was said. */
  String presenceOf(String bridgeId) {
    return namespace + ":presence:node:" + bridgeId;
  }

  /** The nodes whose presence counts, scored by their last heartbeat (epoch ms). */
  String presenceNodes() {
    return namespace + ":presence:nodes";
  }

  String inbox(String bridgeId) {
    return namespace + ":node:" + bridgeId;
  }
}
