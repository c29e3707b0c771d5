package io.photomaker.gateway;


import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobMessage;
import io.photomaker.testkit.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Work items and waiting helpers shared by the lifecycle tests. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A small job of {@code tenant} with one ID photo, no webhook and no deadline. */
    public static JobMessage job(String tenant) {
        return job(tenant, null, null, 0);
    }

    /** A small job with an optional webhook, event filter and deadline (epoch ms, 0 = none). */
    public static JobMessage job(String tenant, String webhook, List<String> webhookEvents, long deadlineAt) {
        return TestJobs.message().tenant(tenant).request(TestJobs.request().webhook(webhook, webhookEvents))
                .pngPhoto().deadlineAt(deadlineAt).build();
    }

    /** Waits until {@code condition} holds, failing with {@code what} after {@code timeout} ({@link Await}). */
    public static void await(Duration timeout, BooleanSupplier condition, Supplier<String> what) {
        Await.until(what, timeout, condition);
    }

    public static Path tempDir(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
