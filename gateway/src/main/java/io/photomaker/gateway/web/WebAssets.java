package io.photomaker.gateway.web;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobDefaults;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The web page at {@code /} and its script and style sheet under {@code /web/}: static files from the
 * classpath ({@code web/}), read once, served with their content types and a Content-Security-Policy that
 * allows nothing but this origin (plus the object store's origin for fetching outputs through their presigned
 * redirects, and {@code blob:} images for photo previews and results). The page's {@code {{default:field}}}
 * placeholders are filled from {@link JobDefaults}, so its form starts with the API's defaults.
 */
public final class WebAssets {
    /** The page's assets by the name in {@code /web/{asset}}, with their content types. */
    static final Map<String, String> ASSETS = Map.of(
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");
    private static final String PAGE = "index.html";
    private static final Pattern DEFAULT = Pattern.compile("\\{\\{default:([a-z_]+)}}");

    private final Buffer page;
    private final Map<String, Buffer> assets;
    private final String policy;

    private WebAssets(Buffer page, Map<String, Buffer> assets, String policy) {
        this.page = page;
        this.assets = assets;
        this.policy = policy;
    }

    /**
     * Loads the files.
     *
     * @param sampleOutputUrl a presigned URL of the object store, from which the origin that output redirects
     *                        lead to is taken (null or unparsable: outputs from this origin only)
     */
    public static WebAssets load(String sampleOutputUrl) {
        Map<String, Buffer> assets = Map.of("app.js", resource("app.js"), "app.css", resource("app.css"));
        Buffer page = Buffer.buffer(withDefaults(resource(PAGE).toString(java.nio.charset.StandardCharsets.UTF_8)));
        return new WebAssets(page, assets, contentSecurityPolicy(origin(sampleOutputUrl)));
    }

    /** {@code html} with every {@code {{default:field}}} replaced by that field's default, HTML-escaped. */
    static String withDefaults(String html) {
        Map<String, Object> defaults = JobDefaults.byField();
        Matcher m = DEFAULT.matcher(html);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = defaults.get(m.group(1));
            if (value == null) {
                throw new IllegalStateException("web page asks for the default of unknown field " + m.group(1));
            }
            m.appendReplacement(out, Matcher.quoteReplacement(escape(number(value))));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String number(Object value) {
        return value instanceof Double d && d == Math.rint(d) ? Long.toString(d.longValue()) : String.valueOf(value);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** GET /: the page. */
    public void page(RoutingContext ctx) {
        send(ctx, "text/html; charset=utf-8", page);
    }

    /** GET /web/{asset}: the script or the style sheet. */
    public void asset(RoutingContext ctx) {
        String name = ctx.pathParam("asset");
        Buffer body = assets.get(name);
        if (body == null) {
            throw new ApiError(ErrorType.NOT_FOUND, "no web asset named " + name);
        }
        send(ctx, ASSETS.get(name), body);
    }

    /** The Content-Security-Policy header value every web response carries. */
    public String policy() {
        return policy;
    }

    static String contentSecurityPolicy(String storeOrigin) {
        String connect = storeOrigin == null ? "'self'" : "'self' " + storeOrigin;
        return "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src "
                + connect + "; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    }

    /** {@code scheme://host[:port]} of {@code url}, or null. */
    static String origin(String url) {
        if (url == null) {
            return null;
        }
        try {
            URI u = URI.create(url);
            if (u.getScheme() == null || u.getHost() == null || !u.getScheme().matches("https?")) {
                return null;
            }
            return u.getScheme() + "://" + u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private void send(RoutingContext ctx, String contentType, Buffer body) {
        HttpServerResponse r = ctx.response();
        r.putHeader(HttpHeaders.CONTENT_TYPE, contentType)
                .putHeader("Content-Security-Policy", policy)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .end(body);
    }

    private static Buffer resource(String name) {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream("web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("web/" + name + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
