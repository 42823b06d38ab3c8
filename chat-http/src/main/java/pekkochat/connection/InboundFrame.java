package pekkochat.connection;

/** What arrived on a socket, before JSON parsing. */
sealed interface InboundFrame {
  record Text(String text) implements InboundFrame {}

  record Binary() implements InboundFrame {}

  record TooLarge() implements InboundFrame {}
}
