package pekkochat.http;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which browser pages may open {@code /ws} ({@code CHAT_ALLOWED_ORIGINS}): "*" any, a comma list,
 * or, when empty, only the page's own origin. A request without {@code Origin} is not from a
 * browser page and is let through; its credential still has to pass.
 */
public final class OriginPolicy {
  private final boolean any;
  private final Set<String> allowed;

  public OriginPolicy(String setting) {
    String trimmed = setting.trim();
    this.any = trimmed.equals("*");
    this.allowed = Arrays.stream(trimmed.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty() && !s.equals("*"))
        .map(OriginPolicy::normalize)
        .collect(Collectors.toUnmodifiableSet());
  }

  /** {@code host} is the authority the client addressed: X-Forwarded-Host behind a proxy, else Host. */
  public boolean allows(Optional<String> origin, Optional<String> host) {
    if (origin.isEmpty() || any) return true;
    String normalized = normalize(origin.get());
    if (!allowed.isEmpty()) return allowed.contains(normalized);
    return host.map(h -> sameAuthority(normalized, h)).orElse(false);
  }

  private static boolean sameAuthority(String origin, String host) {
    try {
      URI uri = URI.create(origin);
      int defaultPort = "https".equals(uri.getScheme()) ? 443 : 80;
      int port = uri.getPort() != -1 ? uri.getPort() : defaultPort;
      return (uri.getHost() + ":" + port).equals(withPort(host.toLowerCase(Locale.ROOT), defaultPort));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code host[:port]} with the scheme's default port made explicit; IPv6 hosts keep brackets. */
  private static String withPort(String host, int defaultPort) {
    boolean hasPort = host.lastIndexOf(':') > host.lastIndexOf(']');
    return hasPort ? host : host + ":" + defaultPort;
  }

  private static String normalize(String origin) {
    String lower = origin.trim().toLowerCase(Locale.ROOT);
    return lower.endsWith("/") ? lower.substring(0, lower.length() - 1) : lower;
  }
}
