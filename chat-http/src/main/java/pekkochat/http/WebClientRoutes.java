package pekkochat.http;

import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code /}: the web client, served from the jar's {@code webapp/} resources (the webapp module's Vite
 * bundle). The page is revalidated on every load so a new build shows at once; its assets have
 * content-hashed names, so a browser may keep them.
 */
public final class WebClientRoutes extends AllDirectives {
  private static final String ROOT = "webapp";
  private static final RawHeader REVALIDATE = RawHeader.create("Cache-Control", "no-cache");
  private static final RawHeader IMMUTABLE = RawHeader.create("Cache-Control", "public, max-age=31536000, immutable");

  private WebClientRoutes() {}

  public static Route routes() {
    WebClientRoutes d = new WebClientRoutes();
    Route page = d.respondWithHeader(REVALIDATE, () -> d.getFromResource(ROOT + "/index.html"));
    return d.get(() -> d.concat(
        d.pathSingleSlash(() -> page),
        // client-side routes such as /invite/{code} load the same page
        d.pathPrefix("invite", () -> page),
        d.pathPrefix("assets", () -> d.respondWithHeader(IMMUTABLE, () -> d.getFromResourceDirectory(ROOT + "/assets"))),
        d.getFromResourceDirectory(ROOT)));
  }
}
