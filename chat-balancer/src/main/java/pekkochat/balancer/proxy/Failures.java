package pekkochat.balancer.proxy;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import org.apache.pekko.stream.StreamTcpException;

/** Tells a failed connection (the backend is unreachable) from other failures. */
final class Failures {

  private Failures() {}

  /** The TCP connection to the backend could not be made: nothing reached it. */
  static boolean isConnectFailure(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConnectException || t instanceof NoRouteToHostException || t instanceof UnknownHostException) return true;
      if (t instanceof StreamTcpException && String.valueOf(t.getMessage()).contains("Connect")) return true;
    }
    return false;
  }
}
