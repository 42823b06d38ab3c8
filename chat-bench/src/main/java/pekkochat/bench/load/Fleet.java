package pekkochat.bench.load;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntFunction;
import pekkochat.bench.ws.WsClient;
import pekkochat.bench.ws.WsConn;

/**
 * The sockets of one scenario and what they need first: users (registered over REST, or logged
 * in if they exist), public rooms, connected sockets, each joined to its room. Socket {@code g}
 * is user {@code g % users}'s and joins room {@code g % rooms}; with users a multiple of rooms,
 * each user is a member of one room. Socket {@code g} connects from 127.0.0.(2 + g % addresses).
 */
final class Fleet implements AutoCloseable {

  private static final String PASSWORD = "bench-password";
  private static final long MAX_BACKOFF_MS = 5_000;

  final int sockets;
  final int rooms;
  final int users;
  final Traffic traffic;
  private final Target target;
  private final Options o;
  private final WsClient client;
  private final InetAddress[] sources;
  private final String[] tokens;
  private final String[] roomIds;
  private final WsConn[] conns;
  private final long setupTimeoutNanos;

  Fleet(Target target, Options o, int sockets, int rooms) throws IOException {
    this.target = target;
    this.o = o;
    this.sockets = sockets;
    this.rooms = rooms;
    int perUser = (int) Math.ceil(sockets / (double) o.integer("sockets-per-user"));
    this.users = Math.min(sockets, (int) Math.ceil(perUser / (double) rooms) * rooms);
    this.client = new WsClient(o.integer("io-threads"), 1 << 20);
    this.traffic = new Traffic(sockets, client.threads(), o.integer("connect-concurrency"), o.integer("join-concurrency"));
    this.sources = new InetAddress[o.integer("source-addresses")];
    for (int i = 0; i < sources.length; i++) sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (2 + i)});
    this.tokens = new String[users];
    this.roomIds = new String[rooms];
    this.conns = new WsConn[sockets];
    this.setupTimeoutNanos = TimeUnit.SECONDS.toNanos(o.integer("setup-timeout"));
  }

  int ioThreads() {
    return client.threads();
  }

  String room(int g) {
    return roomIds[g % rooms];
  }

  WsConn conn(int g) {
    return conns[g];
  }

  /** Registers (or logs in) every user, a few at a time, honouring 429's Retry-After. */
  void signIn(String prefix) throws Exception {
    Rest rest = new Rest(target.rest);
    parallel(users, u -> () -> {
      ObjectNode body = Rest.JSON.createObjectNode().put("username", prefix + u).put("password", PASSWORD);
      Rest.Answer a = retrying(() -> rest.post(sources[u % sources.length], "/api/register", null, body.toString()));
      if (a.status() == 409) a = retrying(() -> rest.post(sources[u % sources.length], "/api/login", null, body.toString()));
      if (a.status() / 100 != 2) throw new IllegalStateException("sign-in of " + prefix + u + ": " + a.status() + " " + a.body());
      tokens[u] = a.body().get("token").asText();
      return null;
    });
  }

  void createRooms(String prefix) throws Exception {
    Rest rest = new Rest(target.rest);
    parallel(rooms, r -> () -> {
      ObjectNode body = Rest.JSON.createObjectNode().put("name", prefix + "-room-" + r).put("visibility", "public");
      Rest.Answer a = retrying(() -> rest.post(null, "/api/rooms", tokens[r % users], body.toString()));
      if (a.status() != 201) throw new IllegalStateException("room " + r + ": " + a.status() + " " + a.body());
      roomIds[r] = a.body().get("id").asText();
      return null;
    });
  }

  /** Opens every socket, at most connect-concurrency upgrades in flight; returns the seconds it took. */
  double connect() throws Exception {
    long start = System.nanoTime();
    long deadline = start + setupTimeoutNanos;
    for (int g = 0; g < sockets; g++) {
      if (!traffic.connectWindow.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
      InetSocketAddress from = new InetSocketAddress(sources[g % sources.length], 0);
      try {
        conns[g] = client.connect(g, from, target.wsFor(g), "/ws", List.of("Authorization: Bearer " + tokens[g % users]), traffic);
      } catch (IOException e) {
        throw new IllegalStateException("socket " + g + " could not connect: " + e.getMessage(), e);
      }
    }
    awaitCount(() -> traffic.opened.get() + traffic.gone.get() >= sockets, deadline);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Sends every open socket's join, at most join-concurrency in flight; returns the seconds until all are joined. */
  double join() throws Exception {
    long start = System.nanoTime();
    long deadline = start + setupTimeoutNanos;
    for (int g = 0; g < sockets; g++) {
      if (conns[g] == null || !conns[g].isOpen()) continue;
      if (!traffic.joinWindow.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) break;
      if (!conns[g].sendText("{\"type\":\"join\",\"room\":\"" + room(g) + "\"}")) traffic.joinWindow.release();
    }
    int open = traffic.opened.get();
    awaitCount(() -> traffic.joined.get() + traffic.gone.get() >= open, deadline);
    return (System.nanoTime() - start) / 1e9;
  }

  /** Sends a {@code ping} on every open socket (the node closes a socket that sent nothing for 90 s). */
  void keepAlive() {
    for (WsConn c : conns) if (c != null && c.isOpen()) c.sendText("{\"type\":\"ping\"}");
  }

  /** Closes every socket with the handshake; returns how many ended with the server's close frame in time. */
  long closeAll(long timeoutMs) throws InterruptedException {
    for (WsConn c : conns) if (c != null && c.isOpen()) c.close();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    awaitCount(() -> traffic.gone.get() >= countStarted(), deadline);
    return traffic.endings().entrySet().stream().filter(e -> e.getKey().startsWith("closed 1000")).mapToLong(e -> e.getValue()).sum();
  }

  private int countStarted() {
    int n = 0;
    for (WsConn c : conns) if (c != null) n++;
    return n;
  }

  static void awaitCount(BooleanSupplier done, long deadline) throws InterruptedException {
    while (!done.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(20);
  }

  private interface Call {
    Rest.Answer call() throws IOException;
  }

  /** 429 and 503 are waited out (Retry-After, else a growing pause), within the setup timeout. */
  private Rest.Answer retrying(Call call) throws Exception {
    long deadline = System.nanoTime() + setupTimeoutNanos;
    long pauseMs = 100;
    while (true) {
      Rest.Answer a = call.call();
      if ((a.status() != 429 && a.status() != 503) || System.nanoTime() > deadline) return a;
      Thread.sleep(a.retryAfterSeconds() > 0 ? a.retryAfterSeconds() * 1000 : pauseMs);
      pauseMs = Math.min(MAX_BACKOFF_MS, pauseMs * 2);
    }
  }

  private void parallel(int count, IntFunction<Callable<Void>> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(o.integer("register-threads"));
    try {
      List<Future<Void>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) futures.add(pool.submit(task.apply(i)));
      for (Future<Void> f : futures) f.get(setupTimeoutNanos, TimeUnit.NANOSECONDS);
    } finally {
      pool.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (WsConn c : conns) if (c != null) c.abort();
    client.close();
  }
}
