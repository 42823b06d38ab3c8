package pekkochat.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import pekkochat.wire.ErrorCode;

/** REST answers: a JSON body, or an error as {@code {"error":{"code","message"}}}. */
public final class ApiResponses {

  private ApiResponses() {}

  public static HttpResponse json(StatusCode status, Object body) {
    try {
      return HttpResponse.create()
          .withStatus(status)
          .withEntity(ContentTypes.APPLICATION_JSON, Json.mapper().writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("response body is not serializable as JSON", e);
    }
  }

  public static HttpResponse error(ErrorCode code, String message) {
    return json(
        StatusCodes.get(code.httpStatus()),
        new ErrorBody(new ErrorBody.Error(code.wireName(), message)));
  }

  record ErrorBody(Error error) {
    record Error(String code, String message) {}
  }
}
