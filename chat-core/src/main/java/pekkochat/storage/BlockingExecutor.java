package pekkochat.storage;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A fixed pool of daemon threads with a bounded queue, for blocking work (JDBC, password
 * hashing) that must never run on actor or HTTP threads. When the queue is full, a call fails at
 * once instead of piling up: the caller answers {@code unavailable}.
 */
public final class BlockingExecutor implements Executor, AutoCloseable {

  private final ThreadPoolExecutor pool;

  private BlockingExecutor(ThreadPoolExecutor pool) {
    this.pool = pool;
  }

  public static BlockingExecutor create(String name, int threads, int queueCapacity) {
    AtomicInteger counter = new AtomicInteger();
    ThreadFactory factory =
        runnable -> {
          Thread thread = new Thread(runnable, name + "-" + counter.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        };
    return new BlockingExecutor(
        new ThreadPoolExecutor(
            threads,
            threads,
            0L,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            factory,
            new ThreadPoolExecutor.AbortPolicy()));
  }

  @Override
  public void execute(Runnable command) {
    pool.execute(command);
  }

  /** Runs {@code work} on this pool; a full queue gives a failed stage, never a thrown one. */
  public <T> CompletionStage<T> supply(Supplier<T> work) {
    try {
      return CompletableFuture.supplyAsync(work, pool);
    } catch (RuntimeException rejected) {
      return CompletableFuture.failedFuture(rejected);
    }
  }

  @Override
  public void close() {
    pool.shutdown();
  }
}
