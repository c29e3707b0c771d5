package io.photomaker.worker.run;

import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Does the work of one job in three phases, so that a worker keeps its device busy: while one job holds
 * the device ({@link Prepared#generate}), the next job's inputs are fetched and decoded ({@link #prepare})
 * and the previous job's outputs are encoded and stored ({@link Generated#store}), each on a CPU thread.
 * Outputs go under deterministic keys. A phase throws {@link JobFailedException} for classified failures
 * and {@link io.photomaker.worker.stop.Stopped} when {@link JobContext#stop()} gave a reason.
 */
@FunctionalInterface
public interface JobHandler {

    /** Phase 1, on a CPU thread, perhaps while another job holds the device: fetch and decode the inputs. */
    Prepared prepare(JobMessage job, JobContext context);

    /** A job whose inputs are ready. */
    @FunctionalInterface
    interface Prepared {
        /** Phase 2, on the device thread, one job at a time: ID encoding, denoising, decoding. */
        Generated generate(JobContext context);
    }

    /** A job whose images exist. */
    @FunctionalInterface
    interface Generated {
        /** Phase 3, on a CPU thread, perhaps while the next job holds the device: encode and store. */
        List<JobOutput> store(JobContext context);
    }

    /** A handler doing all its work in the device phase (no overlap; simple handlers and tests). */
    static JobHandler onDevice(BiFunction<JobMessage, JobContext, List<JobOutput>> work) {
        return (job, prepareContext) -> context -> {
            List<JobOutput> outputs = work.apply(job, context);
            return storeContext -> outputs;
        };
    }
}
