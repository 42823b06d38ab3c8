package pekkochat.http;

import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code /}: the web client, served from the jar's {@code webapp/} resources. */
public final class WebClientRoutes extends AllDirectives {
  private static final String ROOT = "webapp";

  private WebClientRoutes() {}

  public static Route routes() {
    WebClientRoutes d = new WebClientRoutes();
    return d.get(() -> d.concat(
        d.pathSingleSlash(() -> d.getFromResource(ROOT + "/index.html")),
        // client-side routes such as /invite/{code} load the same page
        d.pathPrefix("invite", () -> d.getFromResource(ROOT + "/index.html")),
        d.getFromResourceDirectory(ROOT)));
  }
}
