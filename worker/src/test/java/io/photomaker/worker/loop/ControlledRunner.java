package io.photomaker.worker.loop;

import io.photomaker.worker.stop.StopReason;
import io.photomaker.worker.stop.StopSwitch;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A runner whose work the test finishes by hand: it records every record it was given (its value) with
 * its stop switch, and completes a record's work only when told. Work "begins" (takes the device) when the
 * test says so. A hand-back stop ends the work at once, as the real runners do before it begins (and at
 * the next step boundary after); a drain's first signal does not reach work that has begun.
 */
final class ControlledRunner implements RecordRunner {
    private final Map<String, CompletableFuture<Outcome>> work = new LinkedHashMap<>();
    private final Map<String, StopSwitch> stops = new LinkedHashMap<>();
    private final List<String> started = new ArrayList<>();

    @Override
    public synchronized CompletableFuture<Outcome> start(ConsumerRecord<String, byte[]> record, StopSwitch stop) {
        String value = new String(record.value(), StandardCharsets.UTF_8);
        CompletableFuture<Outcome> f = new CompletableFuture<>();
        stop.whenStopped(reason -> {
            if (reason.handsBack()) {
                f.complete(Outcome.HAND_BACK);
            }
        });
        started.add(value);
        work.put(value, f);
        stops.put(value, stop);
        return f;
    }

    /** The values of the records started so far, in order (a record read again appears again). */
    synchronized List<String> started() {
        return List.copyOf(started);
    }

    synchronized void begin(String value) {
        stops.get(value).begin();
    }

    synchronized void finish(String value, Outcome outcome) {
        work.get(value).complete(outcome);
    }

    synchronized StopReason stopReason(String value) {
        return stops.get(value).reason().orElse(null);
    }

    synchronized boolean isDone(String value) {
        return work.get(value).isDone();
    }
}
