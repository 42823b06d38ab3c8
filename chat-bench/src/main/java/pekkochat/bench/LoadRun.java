package pekkochat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One measured load: {@code sockets} clients in one room, each sending {@code messagesPerSocket}
 * messages one after the other (the next once the previous is acked), every message fanned out
 * to every socket. Measures send→ack (round trip through the room's journal write) and
 * send→delivery (to each other socket), and the rates.
 */
final class LoadRun {

  record Result(String label, Percentiles ack, Percentiles delivery, double ackedPerSecond, double deliveredPerSecond, long lost) {}

  record Percentiles(double p50, double p90, double p99, double max) {
    static Percentiles of(long[] nanos) {
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      if (sorted.length == 0) return new Percentiles(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
      return new Percentiles(ms(sorted, 0.50), ms(sorted, 0.90), ms(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    private static double ms(long[] sorted, double q) {
      return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * sorted.length))] / 1e6;
    }
  }

  private static final String TEXT = "x".repeat(100);

  static Result run(String label, String wsUrl, String room, int sockets, int messagesPerSocket, Duration limit) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    Map<String, Long> sentAt = new ConcurrentHashMap<>();
    long expectedDeliveries = (long) sockets * sockets * messagesPerSocket;
    long[] ackNanos = new long[sockets * messagesPerSocket];
    long[] deliveryNanos = new long[(int) expectedDeliveries];
    AtomicLong acks = new AtomicLong();
    AtomicLong deliveries = new AtomicLong();
    CountDownLatch allDelivered = new CountDownLatch(1);
    List<BenchSocket> clients = new ArrayList<>();
    List<BlockingQueue<Long>> ackQueues = new ArrayList<>();
    for (int i = 0; i < sockets; i++) {
      BlockingQueue<Long> ackQueue = new LinkedBlockingQueue<>();
      ackQueues.add(ackQueue);
      clients.add(BenchSocket.open(http, wsUrl, object -> {
        long now = System.nanoTime();
        String type = object.path("type").asText();
        if (type.equals("ack")) {
          Long at = sentAt.get(object.path("clientId").asText());
          if (at != null) {
            ackNanos[(int) Math.min(ackNanos.length - 1, acks.getAndIncrement())] = now - at;
            ackQueue.offer(now);
          }
        } else if (type.equals("message")) {
          Long at = sentAt.get(object.path("clientId").asText());
          if (at != null) {
            long n = deliveries.getAndIncrement();
            if (n < deliveryNanos.length) deliveryNanos[(int) n] = now - at;
            if (n + 1 == expectedDeliveries) allDelivered.countDown();
          }
        }
      }));
    }
    for (BenchSocket c : clients) c.join(room);

    ExecutorService senders = Executors.newFixedThreadPool(sockets);
    long start = System.nanoTime();
    for (int i = 0; i < sockets; i++) {
      int socket = i;
      senders.submit(() -> {
        for (int m = 0; m < messagesPerSocket; m++) {
          String clientId = label + "-" + socket + "-" + m;
          sentAt.put(clientId, System.nanoTime());
          clients.get(socket).send("{\"type\":\"send\",\"room\":\"" + room + "\",\"clientId\":\"" + clientId + "\",\"text\":\"" + TEXT + "\"}");
          if (ackQueues.get(socket).poll(limit.toMillis(), TimeUnit.MILLISECONDS) == null) return null;
        }
        return null;
      });
    }
    senders.shutdown();
    senders.awaitTermination(limit.toMillis(), TimeUnit.MILLISECONDS);
    double ackSeconds = (System.nanoTime() - start) / 1e9;
    allDelivered.await(Math.max(1, limit.toMillis() - (long) (ackSeconds * 1000)), TimeUnit.MILLISECONDS);
    double deliverySeconds = (System.nanoTime() - start) / 1e9;
    senders.shutdownNow();
    clients.forEach(BenchSocket::close);

    int acked = (int) Math.min(acks.get(), ackNanos.length);
    int delivered = (int) Math.min(deliveries.get(), deliveryNanos.length);
    return new Result(label,
        Percentiles.of(Arrays.copyOf(ackNanos, acked)),
        Percentiles.of(Arrays.copyOf(deliveryNanos, delivered)),
        acked / ackSeconds,
        delivered / deliverySeconds,
        expectedDeliveries - delivered);
  }
}
