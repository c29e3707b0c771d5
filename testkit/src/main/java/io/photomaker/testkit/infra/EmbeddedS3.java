package io.photomaker.testkit.infra;

import io.photomaker.common.config.S3Settings;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.CrossOriginResourceSharing;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

/**
 * A real S3 API server (S3Proxy) on 127.0.0.1, storing objects in memory or in a directory. It can be
 * stopped and started again on the same port (outage tests); with a directory the objects survive. Cross-origin
 * GETs are allowed, as a bucket serving presigned output links to browsers is configured.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "photomaker";
    public static final String SECRET_KEY = "photomaker-secret";
    public static final String BUCKET = "photomaker";

    private final Path directory;
    private final int port;
    private final Map<String, AtomicInteger> writes = CountingBlobStore.newCounts();
    private S3Proxy proxy;

    private EmbeddedS3(Path directory, int port) {
        this.directory = directory;
        this.port = port;
    }

    /** Starts an in-memory store on a free port. */
    public static EmbeddedS3 start() {
        return start(null, 0);
    }

    /** Starts a store in {@code directory} (null = in memory) on {@code port} (0 = a free one). */
    public static EmbeddedS3 start(Path directory, int port) {
        EmbeddedS3 s3 = new EmbeddedS3(directory, port == 0 ? freePort() : port);
        s3.resume();
        return s3;
    }

    /** (Re)starts serving on the same port. */
    public synchronized void resume() {
        if (proxy != null) {
            return;
        }
        try {
            Properties p = new Properties();
            String provider = "transient-nio2";
            if (directory != null) {
                Files.createDirectories(directory);
                p.setProperty("jclouds.filesystem.basedir", directory.toString());
                provider = "filesystem-nio2";
            }
            S3Proxy s = S3Proxy.builder()
                    .blobStore(new CountingBlobStore(BlobStores.create(provider, p), writes))
                    .endpoint(URI.create("http://127.0.0.1:" + port))
                    .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                    .ignoreUnknownHeaders(true)
                    // Browsers (the web page) read outputs through presigned GETs from another origin.
                    .corsRules(new CrossOriginResourceSharing(List.of("*"), List.of("GET", "HEAD"), List.of("*"),
                            List.of(), ""))
                    .build();
            s.start();
            while (!"STARTED".equals(s.getState())) {
                Thread.onSpinWait();
            }
            proxy = s;
        } catch (Exception e) {
            throw new IllegalStateException("embedded S3 did not start on port " + port + ": " + e.getMessage(), e);
        }
    }

    /** Stops serving; {@link #resume()} brings it back. */
    public synchronized void pause() {
        if (proxy == null) {
            return;
        }
        try {
            proxy.stop();
        } catch (Exception e) {
            throw new IllegalStateException("embedded S3 did not stop", e);
        } finally {
            proxy = null;
        }
    }

    /** How many times each object under {@code prefix} was written (PUT) since this server was created. */
    public Map<String, Integer> writesUnder(String prefix) {
        return CountingBlobStore.under(writes, prefix);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The PM_* settings that point a process at this server, in a stable order. */
    public Map<String, String> environment() {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("PM_S3_ENDPOINT", endpoint().toString());
        env.put("PM_S3_BUCKET", BUCKET);
        env.put("PM_S3_ACCESS_KEY", ACCESS_KEY);
        env.put("PM_S3_SECRET_KEY", SECRET_KEY);
        env.put("PM_S3_PATH_STYLE", "true");
        return env;
    }

    public S3Settings settings() {
        return new S3Settings(Optional.of(endpoint()), "us-east-1", BUCKET, ACCESS_KEY, SECRET_KEY, true);
    }

    @Override
    public void close() {
        pause();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }
}
