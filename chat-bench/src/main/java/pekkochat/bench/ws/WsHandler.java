package pekkochat.bench.ws;

/** What a {@link WsClient} tells its user; called on the socket's IO thread, so keep it short. */
public interface WsHandler {

  /** The upgrade answered 101: the socket may send. */
  void onOpen(WsConn conn);

  /** One whole text message (fragments already joined); {@code buf} is reused after the call. */
  void onText(WsConn conn, byte[] buf, int off, int len);

  /** The socket is gone: {@code why} is "closed" after a close handshake, else what failed. */
  void onClose(WsConn conn, String why);
}
