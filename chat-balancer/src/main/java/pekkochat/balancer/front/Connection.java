package pekkochat.balancer.front;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.pekko.util.ByteString;
import pekkochat.balancer.backend.BackendAddress;
import pekkochat.balancer.backend.BackendPool;
import pekkochat.balancer.backend.CheckResult;
import pekkochat.balancer.proxy.BackendChoice;
import pekkochat.balancer.proxy.ForwardedHeaders;
import pekkochat.balancer.proxy.Responses;
import pekkochat.balancer.relay.HandshakeFailed;
import pekkochat.balancer.relay.RequestHead;
import pekkochat.balancer.relay.UpgradeAnswer;
import pekkochat.balancer.relay.UpgradeAnswerReader;
import pekkochat.balancer.relay.UpgradeRequest;

/**
 * A client's connection from its first byte until it is spliced: reads the first request head;
 * a WebSocket upgrade to the WebSocket path is proxied here (the pool chooses the node, the
 * balancer writes the upgrade and reads the answer), anything else goes to the balancer's HTTP
 * server byte for byte. A refusal passes back with its status, headers and body; a node that
 * cannot be reached, or answers no valid 101 in time, makes way for another one, once.
 */
final class Connection implements SelectorLoop.Attachment {

  private enum Phase { HEAD, CHOOSING, CONNECTING, HANDSHAKE, REPLYING, DONE }

  private final Front front;
  private final SelectorLoop loop;
  private final SocketChannel client;
  private final Optional<InetAddress> clientAddress;
  private SelectionKey clientKey;
  private Phase phase = Phase.HEAD;
  private long deadline;
  /** the client's bytes so far, the request head and what follows it */
  private byte[] head = new byte[0];
  private RequestHead request;
  private String clientKeyHeader;
  private final Set<BackendAddress> tried = new HashSet<>();
  private int attemptsLeft;
  /** the node chosen for this attempt, counted by the pool until released; null for the HTTP server */
  private BackendAddress backend;
  private SocketChannel upstream;
  /** the local address of the connection to the HTTP server, by which that server's requests find the client */
  private InetSocketAddress httpServerConnection;
  private SelectionKey upstreamKey;
  private UpgradeRequest upgrade;
  private UpgradeAnswerReader reader;
  /** the upgrade on its way to the node, or a reply on its way to the client */
  private ByteBuffer toWrite;

  Connection(Front front, SelectorLoop loop, SocketChannel client) {
    this.front = front;
    this.loop = loop;
    this.client = client;
    Optional<InetAddress> address;
    try {
      address = Optional.of(((InetSocketAddress) client.getRemoteAddress()).getAddress());
    } catch (IOException | RuntimeException gone) {
      address = Optional.empty();
    }
    this.clientAddress = address;
  }

  void start() {
    try {
      client.configureBlocking(false);
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      clientKey = client.register(loop.selector(), SelectionKey.OP_READ, this);
    } catch (IOException e) {
      Splice.closeQuietly(client);
      return;
    }
    loop.add(this);
    deadline = System.nanoTime() + front.settings().idleTimeout().toNanos();
  }

  @Override
  public void ready(SelectionKey key) {
    try {
      switch (phase) {
        case HEAD -> readHead();
        case CONNECTING -> connected();
        case HANDSHAKE -> {
          if (key.isWritable()) writeUpgrade();
          if (phase == Phase.HANDSHAKE && key.isReadable()) readAnswer();
        }
        case REPLYING -> writeReply();
        default -> { }
      }
    } catch (IOException | HandshakeFailed e) {
      if (key == clientKey || backend == null) close();
      else attemptFailed(e);
    }
  }

  private void readHead() throws IOException {
    ByteBuffer shared = loop.shared();
    shared.clear();
    int read = client.read(shared);
    if (read < 0) {
      close();
      return;
    }
    int before = head.length;
    head = Arrays.copyOf(head, before + read);
    shared.get(0, head, before, read);
    int end = RequestHead.endOf(ByteBuffer.wrap(head), Math.max(0, before - 3), head.length);
    if (end < 0) {
      // too long for a head of ours: the HTTP server answers it as it sees fit
      if (head.length >= front.settings().maxRequestHeadBytes()) toHttpServer();
      return;
    }
    request = RequestHead.parse(head, end).orElse(null);
    Optional<String> key = request == null ? Optional.empty() : request.webSocketKey(front.settings().webSocket().path());
    if (key.isEmpty()) {
      toHttpServer();
      return;
    }
    clientKeyHeader = key.get();
    head = Arrays.copyOfRange(head, end + 4, head.length);
    attemptsLeft = front.settings().webSocket().maxAttempts();
    clientKey.interestOps(0);
    choose();
  }

  private void toHttpServer() throws IOException {
    clientKey.interestOps(0);
    upstream = SocketChannel.open();
    upstream.configureBlocking(false);
    upstream.bind(new InetSocketAddress(front.httpServer().getAddress(), 0));
    httpServerConnection = (InetSocketAddress) upstream.getLocalAddress();
    front.remember(httpServerConnection, clientAddress);
    connect(front.httpServer());
  }

  private void choose() {
    phase = Phase.CHOOSING;
    front.choice().choose(BackendPool.Kind.SOCKET, Set.copyOf(tried))
        .whenComplete((chosen, error) -> {
          Optional<BackendAddress> backend = error == null ? chosen : Optional.empty();
          // a host name is looked up here, on the pool's answer, never on the loop that carries other sockets
          InetSocketAddress address = backend.map(b -> new InetSocketAddress(b.host(), b.port())).orElse(null);
          loop.execute(() -> chosen(backend, address));
        });
  }

  private void chosen(Optional<BackendAddress> chosen, InetSocketAddress address) {
    if (phase != Phase.CHOOSING) {
      // the connection ended while the pool chose: the socket it counted never opens
      chosen.ifPresent(front.choice()::socketClosed);
      return;
    }
    if (chosen.isEmpty()) {
      reply(Responses.noBackend().toWire());
      return;
    }
    backend = chosen.get();
    Front.WebSocket ws = front.settings().webSocket();
    upgrade = UpgradeRequest.create(request.target(), ForwardedHeaders.forWebSocket(request.headers().all(), clientAddress),
        request.subprotocols());
    reader = new UpgradeAnswerReader(upgrade, ws.handshake());
    try {
      upstream = SocketChannel.open();
      upstream.configureBlocking(false);
      deadline = System.nanoTime() + ws.connectTimeout().toNanos();
      connect(address);
    } catch (IOException | UnresolvedAddressException e) {
      attemptFailed(e);
    }
  }

  private void connect(InetSocketAddress to) throws IOException {
    phase = Phase.CONNECTING;
    upstream.setOption(StandardSocketOptions.TCP_NODELAY, true);
    boolean now = upstream.connect(to);
    upstreamKey = upstream.register(loop.selector(), now ? 0 : SelectionKey.OP_CONNECT, this);
    if (now) connected();
  }

  private void connected() throws IOException {
    if (!upstream.finishConnect()) return;
    if (backend == null) {
      phase = Phase.DONE;
      loop.remove(this);
      InetSocketAddress local = httpServerConnection;
      Front owner = front;
      new Splice(loop, clientKey, upstreamKey, null, front.settings().idleTimeout().toNanos(), () -> owner.forget(local))
          .start(new byte[0], new byte[0], head);
      return;
    }
    phase = Phase.HANDSHAKE;
    deadline = System.nanoTime() + front.settings().webSocket().handshake().timeout().toNanos();
    toWrite = upgrade.bytes().asByteBuffer();
    writeUpgrade();
  }

  private void writeUpgrade() throws IOException {
    upstream.write(toWrite);
    upstreamKey.interestOps(SelectionKey.OP_READ | (toWrite.hasRemaining() ? SelectionKey.OP_WRITE : 0));
  }

  private void readAnswer() throws IOException {
    ByteBuffer shared = loop.shared();
    shared.clear();
    int read = upstream.read(shared);
    if (read == 0) return;
    Optional<UpgradeAnswer> answer = read < 0 ? Optional.of(reader.end()) : reader.read(ByteString.fromByteBuffer(shared.flip()));
    if (answer.isEmpty()) return;
    if (answer.get() instanceof UpgradeAnswer.Refused refused) {
      releaseUpstream();
      reply(refused.bytes().toArray());
      return;
    }
    Optional<String> subprotocol = ((UpgradeAnswer.Accepted) answer.get()).subprotocol();
    phase = Phase.DONE;
    loop.remove(this);
    // locals only: the splice must not keep this object (the request, the reader) for the socket's life
    BackendAddress counted = backend;
    BackendChoice choice = front.choice();
    new Splice(loop, clientKey, upstreamKey, front.settings().webSocket(), front.settings().idleTimeout().toNanos(),
        () -> choice.socketClosed(counted))
        .start(switchingProtocols(subprotocol), reader.rest().toArray(), head);
  }

  /** The client's 101: its own key's accept value, and the subprotocol the node chose. */
  private byte[] switchingProtocols(Optional<String> subprotocol) {
    String answer = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Accept: " + UpgradeRequest.acceptFor(clientKeyHeader) + "\r\n"
        + subprotocol.map(p -> "Sec-WebSocket-Protocol: " + p + "\r\n").orElse("") + "\r\n";
    return answer.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** No 101 from this node: nothing went to the client yet, so another node may take the upgrade. */
  private void attemptFailed(Throwable error) {
    BackendAddress failed = backend;
    releaseUpstream();
    front.choice().connectFailed(failed, error);
    tried.add(failed);
    if (--attemptsLeft > 0) choose();
    else reply(Responses.backendFailed(CheckResult.describe(error)).toWire());
  }

  /** Closes the connection to the node and tells the pool that the socket it counted has ended. */
  private void releaseUpstream() {
    if (upstreamKey != null) upstreamKey.cancel();
    if (upstream != null) Splice.closeQuietly(upstream);
    if (backend != null) front.choice().socketClosed(backend);
    if (httpServerConnection != null) front.forget(httpServerConnection);
    upstream = null;
    upstreamKey = null;
    backend = null;
    httpServerConnection = null;
  }

  private void reply(byte[] response) {
    phase = Phase.REPLYING;
    deadline = System.nanoTime() + front.settings().idleTimeout().toNanos();
    toWrite = ByteBuffer.wrap(response);
    try {
      writeReply();
    } catch (IOException e) {
      close();
    }
  }

  private void writeReply() throws IOException {
    client.write(toWrite);
    if (toWrite.hasRemaining()) clientKey.interestOps(SelectionKey.OP_WRITE);
    else close();
  }

  @Override
  public void sweep(long nowNanos) {
    if (phase == Phase.CHOOSING || nowNanos - deadline < 0) return;
    if (phase == Phase.CONNECTING && backend != null) {
      attemptFailed(new SocketTimeoutException("no connection within " + front.settings().webSocket().connectTimeout()));
    } else if (phase == Phase.HANDSHAKE) {
      attemptFailed(new HandshakeFailed("no answer to the upgrade within " + front.settings().webSocket().handshake().timeout()));
    } else {
      close();
    }
  }

  @Override
  public void drain() {
    // not spliced yet: the stop's last step cuts it if it is still open by then
  }

  @Override
  public void close() {
    if (phase == Phase.DONE) return;
    phase = Phase.DONE;
    releaseUpstream();
    if (clientKey != null) clientKey.cancel();
    Splice.closeQuietly(client);
    loop.remove(this);
  }
}
