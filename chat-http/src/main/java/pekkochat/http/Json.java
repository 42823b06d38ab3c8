package pekkochat.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The node's one JSON mapper: thread-safe once configured, and costly to create. */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
