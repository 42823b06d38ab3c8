package pekkochat.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The address a request came from, for throttles keyed by client. A direct client is its TCP
 * peer. Behind a proxy the peer is the proxy, so when (and only when) the peer is one of
 * {@code chat.http.trusted-proxies} the client is the last {@code X-Forwarded-For} entry, the one
 * that proxy appended: the entries before it come from the client and could say anything.
 */
final class ClientAddress extends AllDirectives {
  private static final String UNKNOWN = "unknown";
  private final Set<String> trustedProxies;

  /** {@code trustedProxies} is a comma list of IP literals (no names: nothing is looked up). */
  ClientAddress(String trustedProxies) {
    this.trustedProxies = Arrays.stream(trustedProxies.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .map(ClientAddress::canonical)
        .collect(Collectors.toUnmodifiableSet());
  }

  Route apply(Function<String, Route> inner) {
    return extractRequest(request -> optionalHeaderValueByName("X-Forwarded-For", forwardedFor -> inner.apply(
        of(request.getAttribute(AttributeKeys.remoteAddress).flatMap(a -> a.getAddress()).map(InetAddress::getHostAddress),
            forwardedFor))));
  }

  String of(Optional<String> peer, Optional<String> forwardedFor) {
    String direct = peer.map(ClientAddress::canonicalOrSelf).orElse(UNKNOWN);
    if (!trustedProxies.contains(direct) || forwardedFor.isEmpty()) return direct;
    String[] hops = forwardedFor.get().split(",");
    String last = hops[hops.length - 1].trim();
    return last.isEmpty() ? direct : canonicalOrSelf(last);
  }

  private static String canonicalOrSelf(String address) {
    try {
      return canonical(address);
    } catch (IllegalArgumentException notAnAddress) {
      return address;
    }
  }

  private static String canonical(String literal) {
    if (!literal.matches("[0-9A-Fa-f:.]+")) throw new IllegalArgumentException("not an IP address: " + literal);
    try {
      return InetAddress.getByName(literal).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IP address: " + literal, e);
    }
  }
}
