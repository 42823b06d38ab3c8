package pekkochat.bench;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The proxy alone: {@code ping} → {@code pong} round trips, which the node answers without the
 * journal or any room, so the difference between the two paths is the balancer's own cost.
 */
final class PingRun {

  record Result(String label, LoadRun.Percentiles rtt, double perSecond) {}

  static Result run(String label, String wsUrl, int sockets, int pingsPerSocket, Duration limit) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long[] rtt = new long[sockets * pingsPerSocket];
    AtomicLong done = new AtomicLong();
    List<BenchSocket> clients = new ArrayList<>();
    List<BlockingQueue<Long>> pongs = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      BlockingQueue<Long> pongQueue = new LinkedBlockingQueue<>();
      pongs.add(pongQueue);
      clients.add(BenchSocket.open(http, wsUrl, object -> {
        if (object.path("type").asText().equals("pong")) pongQueue.add(System.nanoTime());
      }));
    }
    ExecutorService senders = Executors.newFixedThreadPool(sockets);
    long start = System.nanoTime();
    for (int i = 0; i < sockets; i++) {
      int socket = i;
      senders.submit(() -> {
        for (int p = 0; p < pingsPerSocket; p++) {
          long sent = System.nanoTime();
          clients.get(socket).send("{\"type\":\"ping\"}");
          Long pong = pongs.get(socket).poll(limit.toMillis(), TimeUnit.MILLISECONDS);
          if (pong == null) return null;
          rtt[(int) done.getAndIncrement()] = pong - sent;
        }
        return null;
      });
    }
    senders.shutdown();
    senders.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    double seconds = (System.nanoTime() - start) / 1e9;
    senders.shutdownNow();
    clients.forEach(BenchSocket::close);
    int n = (int) Math.min(done.get(), rtt.length);
    return new Result(label, LoadRun.Percentiles.of(Arrays.copyOf(rtt, n)), n / seconds);
  }
}
