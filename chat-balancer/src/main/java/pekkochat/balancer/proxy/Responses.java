package pekkochat.balancer.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/** The balancer's own answers, in PROTOCOL.md's error shape {@code {"error":{"code","message"}}}. */
final class Responses {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Responses() {}

  static HttpResponse noBackend() {
    return error(StatusCodes.SERVICE_UNAVAILABLE, "unavailable", "no chat node can take traffic now; retry");
  }

  static HttpResponse backendFailed(String what) {
    return error(StatusCodes.BAD_GATEWAY, "unavailable", "the chat node failed: " + what);
  }

  static HttpResponse notFound() {
    return error(StatusCodes.NOT_FOUND, "not_found", "not served through the balancer");
  }

  private static HttpResponse error(StatusCode status, String code, String message) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("code", code);
    error.put("message", message);
    return HttpResponse.create().withStatus(status).withEntity(ContentTypes.APPLICATION_JSON, body.toString());
  }
}
