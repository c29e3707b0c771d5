package io.photomaker.gateway.server;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The method and path of every route a router serves, for {@code Allow} headers and contract checks. */
public final class RouteTable {
    private volatile List<Entry> entries = List.of();

    /** One served operation: its method and its Vert.x path ({@code /v1/jobs/:id}). */
    public record Entry(HttpMethod method, String path, Pattern pattern) {
    }

    /** Records every route of {@code router} that has a path and methods (call once it is complete). */
    public void load(Router router) {
        List<Entry> found = new ArrayList<>();
        for (Route r : router.getRoutes()) {
            if (r.getPath() == null || r.methods() == null || r.methods().isEmpty()) {
                continue;
            }
            Pattern p = Pattern.compile(r.getPath().replaceAll(":[A-Za-z0-9_]+", "[^/]+"));
            r.methods().forEach(m -> found.add(new Entry(m, r.getPath(), p)));
        }
        entries = List.copyOf(found);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Comma-separated methods served on {@code path}. */
    public String allowedMethods(String path) {
        Set<String> methods = new TreeSet<>();
        for (Entry e : entries) {
            if (e.pattern.matcher(path).matches()) {
                methods.add(e.method.name());
            }
        }
        return String.join(", ", methods);
    }
}
