package pekkochat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The node and balancer processes of a run, on loopback ports; all killed when the run ends. */
public final class Processes implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
  private final List<Process> started = new ArrayList<>();

  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** Starts {@code java [jvmOptions] -jar jar} with {@code env}, waits until {@code readyUrl} answers 200, returns the process. */
  public Process start(String jar, List<String> jvmOptions, Map<String, String> env, Path log, String readyUrl) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", jar));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(env);
    Process process = builder.start();
    started.add(process);
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException(jar + " exited; see " + log);
      try {
        if (http.send(HttpRequest.newBuilder(URI.create(readyUrl)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return process;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(jar + " not ready within " + START_TIMEOUT + "; see " + log);
  }

  @Override
  public void close() {
    for (Process p : started) p.destroyForcibly();
  }
}
