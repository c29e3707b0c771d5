package io.photomaker.worker.loop;

import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.run.JobContext;
import io.photomaker.worker.run.JobFailedException;
import io.photomaker.worker.run.JobHandler;
import io.photomaker.worker.stop.Stopped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A handler for testing the loop's mechanics: the prompt says how the job behaves ("fail permanently",
 * "fail transiently", "slow"), each step takes a few milliseconds of real time, and outputs are real
 * objects in the store under the deterministic keys. Counts calls and steps per job, remembers when each
 * call began (epoch ms) and how a stopped call ended. All its work runs in the device phase.
 */
final class ScriptedHandler implements JobHandler {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> steps = new ConcurrentHashMap<>();
    final Map<String, List<Long>> callTimes = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<Stopped>> stopped = new ConcurrentHashMap<>();
    private final ObjectStore store;

    ScriptedHandler(ObjectStore store) {
        this.store = store;
    }

    int calls(String jobId) {
        return calls.getOrDefault(jobId, new AtomicInteger()).get();
    }

    int steps(String jobId) {
        return steps.getOrDefault(jobId, new AtomicInteger()).get();
    }

    /** When each call for the job began, in order. */
    List<Long> callTimes(String jobId) {
        return List.copyOf(callTimes.getOrDefault(jobId, List.of()));
    }

    /** Completes when a call for the job has returned by stopping at a step boundary. */
    CompletableFuture<Stopped> stoppedCall(String jobId) {
        return stopped.computeIfAbsent(jobId, k -> new CompletableFuture<>());
    }

    @Override
    public Prepared prepare(JobMessage job, JobContext ctx) {
        return JobHandler.onDevice(this::handle).prepare(job, ctx);
    }

    List<JobOutput> handle(JobMessage job, JobContext ctx) {
        calls.computeIfAbsent(job.jobId(), k -> new AtomicInteger()).incrementAndGet();
        callTimes.computeIfAbsent(job.jobId(), k -> new CopyOnWriteArrayList<>()).add(System.currentTimeMillis());
        String prompt = job.request().prompt();
        if (prompt.contains("fail permanently")) {
            throw new JobFailedException(JobFailure.permanent("invalid_image", "photo 1 is not an image"), null);
        }
        if (prompt.contains("fail transiently")) {
            throw new JobFailedException(JobFailure.transientFailure("storage_unavailable", "S3 timed out"), null);
        }
        int total = job.request().numSteps();
        long stepMillis = prompt.contains("slow") ? 40 : 1;
        AtomicInteger counter = steps.computeIfAbsent(job.jobId(), k -> new AtomicInteger());
        for (int i = 1; i <= total; i++) {
            try {
                ctx.stop().check(i - 1);
            } catch (Stopped e) {
                stoppedCall(job.jobId()).complete(e);
                throw e;
            }
            busy(stepMillis);
            counter.incrementAndGet();
            ctx.progress(i, total);
        }
        List<JobOutput> outs = new ArrayList<>();
        for (int i = 0; i < job.request().numOutputs(); i++) {
            String key = ObjectKeys.output(job.jobId(), i);
            store.put(key, new byte[]{(byte) i, 1, 2, 3}, "image/png").join();
            outs.add(new JobOutput(key, job.request().width(), job.request().height(), job.request().seed() + i));
        }
        return outs;
    }

    private static void busy(long millis) {
        // stands in for a denoising step's duration
        java.util.concurrent.locks.LockSupport.parkNanos(millis * 1_000_000);
    }
}
