package pekkochat.transport;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** HTTP/1.1 responses read off a bare socket's stream, as the tests' clients need them: Content-Length bodies. */
final class RawHttp {
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  record Response(String head, byte[] body) {
    int status() {
      return Integer.parseInt(head.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private RawHttp() {}

  static byte[] get(String path) {
    return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] post(String path, int contentLength) {
    return ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
        + "Content-Length: " + contentLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  static Response read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!endsWithBlankLine(head)) {
      int b = in.read();
      if (b < 0) throw new EOFException("the connection ended inside a response head: " + head);
      if (head.size() >= MAX_HEAD_BYTES) throw new IOException("a response head over " + MAX_HEAD_BYTES + " bytes");
      head.write(b);
    }
    String headText = head.toString(StandardCharsets.US_ASCII);
    int length = contentLength(headText);
    byte[] body = in.readNBytes(length);
    if (body.length < length) throw new EOFException("the body ended after " + body.length + " of " + length + " bytes");
    return new Response(headText, body);
  }

  private static boolean endsWithBlankLine(ByteArrayOutputStream head) {
    byte[] b = head.toByteArray();
    int n = b.length;
    return n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n';
  }

  private static int contentLength(String head) throws IOException {
    for (String line : head.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring("content-length:".length()).trim());
      }
    }
    throw new IOException("no Content-Length in " + head);
  }
}
