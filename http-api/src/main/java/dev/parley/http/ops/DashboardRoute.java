package dev.parley.http.ops;

import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The dashboard's static files (the frontend module's build, on the classpath under dashboard/). */
public final class DashboardRoute extends AllDirectives {

  public Route route() {
    return concat(
        pathSingleSlash(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/dashboard/"),
            StatusCodes.FOUND)),
        pathPrefix("dashboard", () -> concat(
            pathEnd(() -> redirect(org.apache.pekko.http.javadsl.model.Uri.create("/dashboard/"),
                StatusCodes.MOVED_PERMANENTLY)),
            pathSingleSlash(() -> getFromResource("dashboard/index.html")),
            getFromResourceDirectory("dashboard"))));
  }
}
