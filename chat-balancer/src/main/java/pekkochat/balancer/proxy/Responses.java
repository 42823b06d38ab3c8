package pekkochat.balancer.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** The balancer's own answers, in PROTOCOL.md's error shape {@code {"error":{"code","message"}}}. */
public final class Responses {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One such answer: for the HTTP server ({@link #toResponse}) or, written by the front itself, for the wire ({@link #toWire}). */
  public record Error(int status, String reason, String code, String message) {

    String json() {
      ObjectNode body = JSON.createObjectNode();
      ObjectNode error = body.putObject("error");
      error.put("code", code);
      error.put("message", message);
      return body.toString();
    }

    HttpResponse toResponse() {
      return HttpResponse.create().withStatus(StatusCodes.get(status)).withEntity(ContentTypes.APPLICATION_JSON, json());
    }

    /** The whole HTTP/1.1 response, on a connection that closes after it. */
    public byte[] toWire() {
      byte[] body = json().getBytes(StandardCharsets.UTF_8);
      String head = "HTTP/1.1 " + status + " " + reason + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length
          + "\r\nConnection: close\r\n\r\n";
      byte[] head8 = head.getBytes(StandardCharsets.US_ASCII);
      byte[] wire = new byte[head8.length + body.length];
      System.arraycopy(head8, 0, wire, 0, head8.length);
      System.arraycopy(body, 0, wire, head8.length, body.length);
      return wire;
    }
  }

  private Responses() {}

  public static Error noBackend() {
    return new Error(503, "Service Unavailable", "unavailable", "no chat node can take traffic now; retry");
  }

  public static Error backendFailed(String what) {
    return new Error(502, "Bad Gateway", "unavailable", "the chat node failed: " + what);
  }

  static Error notFound() {
    return new Error(404, "Not Found", "not_found", "not served through the balancer");
  }
}
