package io.photomaker.worker.loop;

import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.run.JobContext;
import io.photomaker.worker.run.JobHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A three-phase handler whose phases tell the test when they run, so that a test can see which phases of
 * different jobs overlap. Each job's phases are named by the job's prompt ({@code "<name> ..."}): the test
 * waits on {@link #phase}, and a generation may be made to wait for another job's phase (or for the test)
 * with {@link #generationWaitsFor}. Waiting generations check their stop signal, as a denoising loop does.
 */
final class PhasedHandler implements JobHandler {
    private static final long WAIT_SECONDS = 30;
    private final ObjectStore store;
    private final Map<String, CompletableFuture<Void>> events = new ConcurrentHashMap<>();
    private final Map<String, String> generationWaits = new ConcurrentHashMap<>();
    private final Map<String, Boolean> waitedInTime = new ConcurrentHashMap<>();

    PhasedHandler(ObjectStore store) {
        this.store = store;
    }

    /** Completes when the phase ({@code prepare}, {@code generate}, {@code store}) of job {@code name} has begun. */
    CompletableFuture<Void> phase(String name, String phase) {
        return events.computeIfAbsent(name + ":" + phase, k -> new CompletableFuture<>());
    }

    /** Job {@code name}'s generation goes on only once {@code event} ("job:phase", or any key the test fires). */
    void generationWaitsFor(String name, String event) {
        generationWaits.put(name, event);
    }

    /** Fires an event a generation may wait for. */
    void fire(String event) {
        events.computeIfAbsent(event, k -> new CompletableFuture<>()).complete(null);
    }

    /** Whether job {@code name}'s generation saw what it waited for within the wait (null: it never waited). */
    Boolean waitedInTime(String name) {
        return waitedInTime.get(name);
    }

    private static String nameOf(JobMessage job) {
        return job.request().prompt().split(" ")[0];
    }

    @Override
    public Prepared prepare(JobMessage job, JobContext ctx) {
        String name = nameOf(job);
        phase(name, "prepare").complete(null);
        return deviceCtx -> {
            phase(name, "generate").complete(null);
            String waitFor = generationWaits.get(name);
            if (waitFor != null) {
                waitedInTime.put(name, await(events.computeIfAbsent(waitFor, k -> new CompletableFuture<>()), deviceCtx));
            }
            return storeCtx -> {
                phase(name, "store").complete(null);
                String key = ObjectKeys.output(job.jobId(), 0);
                store.put(key, new byte[] {1, 2, 3}, "image/png").join();
                return List.of(new JobOutput(key, 64, 64, job.request().seed()));
            };
        };
    }

    private static boolean await(CompletableFuture<Void> event, JobContext ctx) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (System.nanoTime() < deadline) {
            ctx.stop().check(0);
            try {
                event.get(10, TimeUnit.MILLISECONDS);
                return true;
            } catch (TimeoutException e) {
                // check the stop signal again, as a denoising step boundary would
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return false;
    }
}
