package pekkochat.http;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The node's one JSON mapper: thread-safe once configured, and costly to create. */
public final class Json {
  /**
   * A body is one object: Jackson would keep the last of two equal keys and ignore what follows
   * the object, so a body could mean one thing to a proxy or a log and another here.
   */
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }
}
