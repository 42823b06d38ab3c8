package pekkochat.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;
import pekkochat.wire.ErrorCode;

class ApiResponsesTest {

  /** PROTOCOL.md section 5's codes and the statuses section 3 answers them with. */
  private static final Map<ErrorCode, String> WIRE_NAMES =
      Map.of(
          ErrorCode.BAD_REQUEST, "bad_request",
          ErrorCode.UNAUTHORIZED, "unauthorized",
          ErrorCode.FORBIDDEN, "forbidden",
          ErrorCode.NOT_FOUND, "not_found",
          ErrorCode.CONFLICT, "conflict",
          ErrorCode.RATE_LIMITED, "rate_limited",
          ErrorCode.UNAVAILABLE, "unavailable");

  private static final Map<ErrorCode, Integer> STATUSES =
      Map.of(
          ErrorCode.BAD_REQUEST, 400,
          ErrorCode.UNAUTHORIZED, 401,
          ErrorCode.FORBIDDEN, 403,
          ErrorCode.NOT_FOUND, 404,
          ErrorCode.CONFLICT, 409,
          ErrorCode.RATE_LIMITED, 429,
          ErrorCode.UNAVAILABLE, 503);

  @Test
  void everyCodeHasItsWireNameAndStatus() {
    for (ErrorCode code : ErrorCode.values()) {
      assertEquals(WIRE_NAMES.get(code), code.wireName());
      assertEquals(STATUSES.get(code), code.httpStatus());
    }
  }

  @Test
  void anErrorIsAJsonObjectWithCodeAndMessage() throws Exception {
    HttpResponse response = ApiResponses.error(ErrorCode.RATE_LIMITED, "slow down \"now\"");
    assertEquals(StatusCodes.TOO_MANY_REQUESTS, response.status());
    assertEquals(ContentTypes.APPLICATION_JSON, response.entity().getContentType());
    JsonNode body = Json.mapper().readTree(bodyOf(response));
    assertEquals("rate_limited", body.at("/error/code").textValue());
    assertEquals("slow down \"now\"", body.at("/error/message").textValue());
    assertEquals(1, body.size());
  }

  /** Responses are built from bytes in memory, so their entity is strict. */
  private static String bodyOf(HttpResponse response) {
    return ((HttpEntity.Strict) response.entity()).getData().utf8String();
  }
}
