package pekkochat.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static pekkochat.storage.TestDatabases.await;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockingExecutorTest {

  @Test
  void runsOnNamedDaemonThreads() throws Exception {
    try (BlockingExecutor pool = BlockingExecutor.create("test-pool", 1, 1)) {
      Thread worker = await(pool.supply(Thread::currentThread));
      assertTrue(worker.getName().startsWith("test-pool-"), worker.getName());
      assertTrue(worker.isDaemon());
    }
  }

  @Test
  void aFullQueueFailsTheStageInsteadOfGrowing() throws Exception {
    try (BlockingExecutor pool = BlockingExecutor.create("test-pool", 1, 1)) {
      CountDownLatch release = new CountDownLatch(1);
      CountDownLatch running = new CountDownLatch(1);
      CompletionStage<Boolean> busy =
          pool.supply(
              () -> {
                running.countDown();
                try {
                  return release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              });
      assertTrue(running.await(10, TimeUnit.SECONDS));
      CompletionStage<String> queued = pool.supply(() -> "queued");
      CompletionStage<String> refused = pool.supply(() -> "refused");

      ExecutionException failure = assertThrows(ExecutionException.class, () -> await(refused));
      assertInstanceOf(RejectedExecutionException.class, failure.getCause());
      release.countDown();
      assertTrue(await(busy));
      assertEquals("queued", await(queued));
    }
  }
}
