package io.photomaker.worker.run;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.json.Json;
import io.photomaker.worker.loop.RecordRunner;
import io.photomaker.worker.stop.StopSwitch;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs identity requests ({@link IdentityWork}) behind the same interface as jobs, on the device thread
 * (encoding ID photos uses the GPU) in turn with the jobs' generation. A request stopped before its turn
 * is handed back at once; once begun it runs to its end (it takes well under a second).
 */
public final class IdentityRunner implements RecordRunner {
    private static final Logger LOG = LoggerFactory.getLogger(IdentityRunner.class);

    private final IdentityWork work;
    private final WorkLanes lanes;

    public IdentityRunner(IdentityWork work, WorkLanes lanes) {
        this.work = work;
        this.lanes = lanes;
    }

    @Override
    public CompletableFuture<Outcome> start(ConsumerRecord<String, byte[]> record, StopSwitch stop) {
        IdentityRecord request;
        try {
            request = Json.read(record.value(), IdentityRecord.class);
        } catch (RuntimeException e) {
            LOG.error("dropping unreadable identity request at offset {}: {}", record.offset(), e.getMessage());
            return CompletableFuture.completedFuture(Outcome.COMMIT);
        }
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        stop.whenStopped(reason -> {
            if (!stop.hasBegun()) {
                result.complete(Outcome.HAND_BACK);
            }
        });
        CompletableFuture.runAsync(() -> {
            if (stop.begin()) {
                result.complete(work.run(request) ? Outcome.COMMIT : Outcome.HAND_BACK);
            }
        }, lanes.device()).whenComplete((done, e) -> {
            if (e != null) {
                LOG.error("identity {} could not be processed", request.id(), e);
                result.complete(Outcome.HAND_BACK);
            }
        });
        return result;
    }
}
