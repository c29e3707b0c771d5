package io.photomaker.worker.loop;

import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.worker.loop.RecordRunner.Outcome;
import io.photomaker.worker.stop.StopReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's logic, driven round by round on the test's thread with Kafka's MockConsumer over a log
 * ({@link LogConsumer}), a runner finished by hand and a clock moved by hand. The same loop against a real
 * broker: {@link WorkerLoopTest}.
 */
class WorkerLoopUnitTest {
    private static final String TOPIC = "photomaker.jobs";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);
    private static final Duration DRAIN = Duration.ofSeconds(30);

    private final LogConsumer consumer = new LogConsumer();
    private final ManualClock clock = new ManualClock(1_000_000);
    private final ControlledRunner runner = new ControlledRunner();
    private final Set<TopicPartition> notReady = new HashSet<>();
    private final List<Long> lagReports = new ArrayList<>();
    private WorkerLoop loop;

    @BeforeEach
    void noLoopYet() {
        loop = null;
    }

    private void startLoop(int capacity) {
        LoopOptions options = LoopOptions.defaults(DRAIN, TOPIC).withCapacity(capacity)
                .withClock(clock).withLagSink(lagReports::add).withReadiness(tp -> !notReady.contains(tp));
        loop = new WorkerLoop(consumer, Map.of(TOPIC, runner), options);
        loop.subscribe();
        consumer.assignPartitions(List.of(P0, P1));
    }

    private void rounds(int n) {
        for (int i = 0; i < n; i++) {
            loop.pollOnce();
        }
    }

    private void append(TopicPartition tp, String... values) {
        for (String v : values) {
            consumer.append(tp, v);
        }
    }

    private void appendDelayed(TopicPartition tp, String value, long notBefore) {
        RecordHeaders h = new RecordHeaders();
        h.add(KafkaHeaders.NOT_BEFORE, Long.toString(notBefore).getBytes(StandardCharsets.UTF_8));
        consumer.append(tp, value, value, h);
    }

    @Test
    void records_of_one_poll_are_all_taken_up_to_capacity_and_the_rest_are_read_again_later() {
        startLoop(3);
        append(P0, "a", "b", "c", "d", "e");

        rounds(3);
        assertEquals(List.of("a", "b", "c"), runner.started());

        runner.finish("a", Outcome.COMMIT);
        rounds(2);
        assertEquals(List.of("a", "b", "c", "d"), runner.started());
        assertEquals(1, consumer.committedPosition(P0));
    }

    @Test
    void the_commit_position_moves_only_past_finished_records_even_when_they_finish_out_of_order() {
        startLoop(3);
        append(P0, "a", "b", "c");
        rounds(2);

        runner.finish("c", Outcome.COMMIT);
        runner.finish("b", Outcome.COMMIT);
        rounds(2);
        assertEquals(-1, consumer.committedPosition(P0), "a is still running");

        runner.finish("a", Outcome.COMMIT);
        rounds(1);
        assertEquals(3, consumer.committedPosition(P0));
    }

    @Test
    void a_record_whose_retry_time_lies_ahead_waits_aside_while_later_records_of_its_partition_run() {
        startLoop(1);
        appendDelayed(P0, "retry", clock.millis() + 10_000);
        append(P0, "next", "after");

        rounds(2);
        assertEquals(List.of("next"), runner.started(), "the retry is set aside, not waited for");
        runner.finish("next", Outcome.COMMIT);
        rounds(2);
        assertEquals(List.of("next", "after"), runner.started());
        runner.finish("after", Outcome.COMMIT);
        rounds(2);
        assertEquals(-1, consumer.committedPosition(P0), "nothing is committed past the waiting retry");
        assertEquals(List.of("next", "after"), runner.started(), "the retry does not start early");

        clock.advance(Duration.ofSeconds(10));
        rounds(1);
        assertEquals(List.of("next", "after", "retry"), runner.started());
        runner.finish("retry", Outcome.COMMIT);
        rounds(1);
        assertEquals(3, consumer.committedPosition(P0));
    }

    @Test
    void a_partition_that_is_not_ready_stays_paused_and_starts_nothing_until_it_is() {
        notReady.add(P0);
        startLoop(3);
        append(P0, "x");
        append(P1, "y");

        rounds(3);
        assertEquals(List.of("y"), runner.started());
        assertTrue(consumer.paused().contains(P0));
        assertFalse(consumer.paused().contains(P1));

        notReady.clear();
        rounds(2);
        assertEquals(List.of("y", "x"), runner.started());
        assertFalse(consumer.paused().contains(P0));
    }

    @Test
    void a_handed_back_record_is_read_again_after_a_pause_while_other_partitions_go_on() {
        startLoop(3);
        append(P0, "a", "b");
        append(P1, "c");
        rounds(2);
        assertEquals(Set.of("a", "b", "c"), Set.copyOf(runner.started()));

        runner.finish("a", Outcome.HAND_BACK);
        append(P1, "d");
        rounds(2);
        assertTrue(runner.started().contains("d"), "the other partition goes on");
        assertEquals(1, runner.started().stream().filter("a"::equals).count(), "not before b has settled");

        runner.finish("b", Outcome.COMMIT);
        runner.finish("c", Outcome.COMMIT);
        runner.finish("d", Outcome.COMMIT);
        rounds(2);
        assertEquals(1, runner.started().stream().filter("a"::equals).count(), "the partition pauses first");

        clock.advance(Duration.ofSeconds(1));
        rounds(2);
        assertEquals(2, runner.started().stream().filter("a"::equals).count(), "a is read again");
        assertEquals(2, runner.started().stream().filter("b"::equals).count(), "and b after it");
        assertEquals(-1, consumer.committedPosition(P0));
    }

    @Test
    void revoking_a_partition_stops_its_work_for_that_reason_and_commits_what_finished() {
        startLoop(3);
        append(P0, "a", "b", "c");
        rounds(2);
        runner.finish("a", Outcome.COMMIT);
        runner.begin("b");

        consumer.assignPartitions(List.of(P1));

        assertEquals(StopReason.PARTITION_REVOKED, runner.stopReason("b"));
        assertEquals(StopReason.PARTITION_REVOKED, runner.stopReason("c"));
        assertTrue(runner.isDone("b") && runner.isDone("c"));
        assertEquals(1, consumer.committedPosition(P0), "a's commit, made before the partition left");
        append(P1, "d");
        rounds(2);
        assertTrue(runner.started().contains("d"), "the loop goes on with what it kept");
        assertTrue(loop.isBusy());
    }

    @Test
    void a_drain_hands_back_work_not_begun_at_once_and_stops_the_running_job_only_at_the_deadline() {
        startLoop(3);
        append(P0, "running", "waiting");
        rounds(2);
        runner.begin("running");

        loop.beginDrain();
        assertEquals(StopReason.DRAIN, runner.stopReason("waiting"));
        assertNull(runner.stopReason("running"));
        append(P1, "late");
        rounds(3);
        assertFalse(runner.started().contains("late"), "a draining loop takes no new work");
        assertFalse(loop.finished());

        clock.advance(DRAIN.plusSeconds(1));
        rounds(2);
        assertEquals(StopReason.DRAIN, runner.stopReason("running"));
        assertTrue(loop.finished());
        assertEquals(-1, consumer.committedPosition(P0), "handed back, never committed");
    }

    @Test
    void the_lag_counts_records_not_yet_committed_once_per_interval() {
        startLoop(3);
        append(P0, "a", "b");
        append(P1, "c");

        rounds(1);
        assertEquals(List.of(3L), lagReports);
        runner.finish("a", Outcome.COMMIT);
        runner.finish("b", Outcome.COMMIT);
        runner.finish("c", Outcome.COMMIT);
        rounds(2);
        assertEquals(1, lagReports.size(), "no second report within the interval");

        clock.advance(Duration.ofSeconds(5));
        rounds(1);
        assertEquals(List.of(3L, 0L), lagReports);
    }
}
