package io.photomaker.gateway.webhook;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Posts one webhook body to a receiver over an address that was already checked: the connection goes
 * to that address while Host and TLS name stay the URL's host. Redirects are never followed, the
 * whole exchange is bounded by the timeout, and the response body is discarded.
 */
final class WebhookSender implements AutoCloseable {
    /** What the receiver answered. */
    record Response(int status, String retryAfter) {
    }

    private final HttpClientAgent client;
    private final long timeoutMs;

    WebhookSender(Vertx vertx, Duration timeout) {
        this.timeoutMs = timeout.toMillis();
        this.client = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) timeoutMs)
                .setIdleTimeout((int) Math.max(1, timeout.toSeconds()))
                .setKeepAlive(true)
                .setTrustAll(false)
                .setVerifyHost(true)
                .setForceSni(true));
    }

    CompletableFuture<Response> post(URI url, InetAddress address, MultiMap headers, String body) {
        boolean https = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() > 0 ? url.getPort() : (https ? 443 : 80);
        String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setHost(url.getHost())
                .setPort(port)
                .setSsl(https)
                .setURI(path)
                .setFollowRedirects(false)
                .setConnectTimeout(timeoutMs)
                .setIdleTimeout(timeoutMs)
                .setHeaders(headers);
        Future<Response> exchange = client.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> {
                    resp.handler(ignored -> { });
                    Response r = new Response(resp.statusCode(), resp.getHeader("Retry-After"));
                    return resp.end().map(v -> r);
                })
                .timeout(timeoutMs, TimeUnit.MILLISECONDS);
        return exchange.toCompletionStage().toCompletableFuture();
    }

    @Override
    public void close() {
        client.close();
    }
}
