package io.photomaker.common.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.json.Json;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class JobStateMachineTest {
    private static final String JOB = "job_test";

    /**
     * The lifecycle, written out by hand: rows are the state a job is in, columns the event that
     * arrives, cells the state it must be in afterwards. "-" = rejected (nothing changes),
     * "same" = accepted as a duplicate that changes nothing.
     */
    private static final String TABLE = """
            state      submitted started progress succeeded failed retry_scheduled cancel_requested canceled expired data_deleted archived  enqueued
            queued     same      running -        -         failed queued          canceled         canceled expired queued       -         queued
            running    same      running running  succeeded failed queued          running          canceled -       running      -         running
            succeeded  same      -       -        -         -      -               -                -        -       succeeded    succeeded succeeded
            failed     same      -       -        -         -      -               -                -        -       failed       failed    failed
            canceled   same      -       -        -         -      -               -                -        -       canceled     canceled  canceled
            expired    same      -       -        -         -      -               -                -        -       expired      expired   expired
            """;

    private long clock = 1_000;

    static Stream<Arguments> everyStateAndEvent() {
        String[] lines = TABLE.strip().split("\n");
        String[] header = lines[0].trim().split("\\s+");
        List<Arguments> cases = new ArrayList<>();
        for (int row = 1; row < lines.length; row++) {
            String[] cells = lines[row].trim().split("\\s+");
            for (int col = 1; col < header.length; col++) {
                cases.add(Arguments.of(JobStatus.fromWire(cells[0]), EventType.fromWire(header[col]), cells[col]));
            }
        }
        return cases.stream();
    }

    @Test
    void the_written_table_covers_every_state_and_every_event() {
        Map<JobStatus, EnumSet<EventType>> seen = new HashMap<>();
        everyStateAndEvent().forEach(a -> seen.computeIfAbsent((JobStatus) a.get()[0], k -> EnumSet.noneOf(EventType.class))
                .add((EventType) a.get()[1]));
        assertEquals(EnumSet.allOf(JobStatus.class), EnumSet.copyOf(seen.keySet()));
        seen.values().forEach(events -> assertEquals(EnumSet.allOf(EventType.class), events));
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStateAndEvent")
    void each_event_in_each_state_is_allowed_or_rejected_as_the_table_says(JobStatus from, EventType type,
                                                                           String expected) {
        JobRecord before = inState(from);
        assertEquals(from, before.status());
        JobStateMachine.Decision d = JobStateMachine.apply(before, eventFor(type, before.attempt() + (from == JobStatus.RUNNING ? 0 : 1)));
        switch (expected) {
            case "-" -> {
                assertFalse(d.accepted(), () -> type + " must be rejected in " + from);
                assertNotNull(d.reason());
                assertSame(before, d.record());
                assertFalse(d.changed(before));
            }
            case "same" -> {
                assertTrue(d.accepted());
                assertSame(before, d.record());
                assertFalse(d.changed(before));
            }
            default -> {
                assertTrue(d.accepted(), () -> type + " must be accepted in " + from + ": " + d.reason());
                assertEquals(JobStatus.fromWire(expected), d.record().status());
            }
        }
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStateAndEvent")
    void the_published_target_function_agrees_with_the_table(JobStatus from, EventType type, String expected) {
        if (type == EventType.SUBMITTED) {
            return;
        }
        var target = JobStateMachine.target(from, type);
        if (expected.equals("-")) {
            assertTrue(target.isEmpty(), () -> from + " + " + type + " has target " + target);
        } else {
            assertEquals(JobStatus.fromWire(expected), target.orElseThrow());
        }
    }

    @ParameterizedTest
    @EnumSource(value = JobStatus.class, names = {"SUCCEEDED", "FAILED", "CANCELED", "EXPIRED"})
    void a_terminal_state_never_changes_status_whatever_arrives(JobStatus terminal) {
        JobRecord rec = inState(terminal);
        for (EventType type : EventType.values()) {
            for (int attempt = 0; attempt <= 3; attempt++) {
                JobRecord after = JobStateMachine.apply(rec, eventFor(type, attempt)).record();
                assertEquals(terminal, after.status(), () -> type + " moved " + terminal);
                rec = after;
            }
        }
        assertEquals(terminal, rec.status());
    }

    @Test
    void events_of_an_older_attempt_are_rejected_once_a_newer_attempt_runs() {
        JobRecord rec = fold(submitted(), started(1), retry(1), started(2), progress(2, 3));
        assertEquals(JobStatus.RUNNING, rec.status());
        assertEquals(2, rec.attempt());
        for (JobEvent stale : List.of(started(1), progress(1, 4), succeeded(1), failed(1), retry(1), canceled(1))) {
            JobStateMachine.Decision d = JobStateMachine.apply(rec, stale);
            assertFalse(d.accepted(), () -> "stale " + stale.type() + " was accepted");
            assertTrue(d.reason().contains("stale"), d.reason());
            assertSame(rec, d.record());
        }
    }

    @Test
    void an_attempt_that_ended_in_a_retry_cannot_restart_or_finish_the_job() {
        JobRecord rec = fold(submitted(), started(1), progress(1, 2), retry(1));
        assertEquals(JobStatus.QUEUED, rec.status());
        for (JobEvent late : List.of(started(1), succeeded(1), failed(1), retry(1))) {
            JobStateMachine.Decision d = JobStateMachine.apply(rec, late);
            assertFalse(d.accepted(), () -> "late " + late.type() + " of the ended attempt was accepted");
            assertSame(rec, d.record());
        }
        JobRecord next = JobStateMachine.apply(rec, started(2)).record();
        assertEquals(JobStatus.RUNNING, next.status());
        assertEquals(2, next.attempt());
        assertEquals(0, next.step());
    }

    @Test
    void a_retry_reported_before_any_start_records_the_attempt_that_ended() {
        JobRecord rec = fold(submitted(), retry(1));
        assertEquals(JobStatus.QUEUED, rec.status());
        assertEquals(1, rec.attempt());
        assertEquals("gpu_lost", rec.error().type());
        assertFalse(JobStateMachine.apply(rec, started(1)).accepted());
        assertTrue(JobStateMachine.apply(rec, started(2)).accepted());
    }

    @Test
    void the_deadline_expiry_of_a_retried_job_is_not_mistaken_for_a_stale_event() {
        JobRecord rec = fold(submitted(), started(1), retry(1));
        JobStateMachine.Decision d = JobStateMachine.apply(rec, at(JobEvent.expired(JOB, rec.attempt(), null)));
        assertTrue(d.accepted(), d.reason());
        assertEquals(JobStatus.EXPIRED, d.record().status());
    }

    @Test
    void every_event_delivered_twice_changes_the_record_only_once() {
        List<List<JobEvent>> histories = List.of(
                List.of(submitted()),
                List.of(submitted(), started(1)),
                List.of(submitted(), started(1), progress(1, 2)),
                List.of(submitted(), started(1), cancelRequested()),
                List.of(submitted(), started(1), dataDeleted()),
                List.of(submitted(), started(1), retry(1)),
                List.of(submitted(), started(1), succeeded(1)),
                List.of(submitted(), started(1), failed(1)),
                List.of(submitted(), started(1), canceled(1)),
                List.of(submitted(), cancelRequested()),
                List.of(submitted(), at(JobEvent.expired(JOB, 0, null))));
        for (List<JobEvent> history : histories) {
            JobRecord once = fold(history.toArray(JobEvent[]::new));
            JobEvent last = history.get(history.size() - 1);
            JobRecord twice = JobStateMachine.apply(once, last).record();
            assertEquals(once, twice, () -> "duplicate " + last.type() + " changed the record");
            assertEquals(once.version(), twice.version());
        }
    }

    @Test
    void a_cancel_that_arrives_after_success_leaves_the_job_succeeded() {
        JobRecord rec = fold(submitted(), started(1), succeeded(1), cancelRequested());
        assertEquals(JobStatus.SUCCEEDED, rec.status());
        assertEquals(1, rec.outputs().size());
        assertFalse(rec.cancelRequested());
    }

    @Test
    void a_success_that_arrives_after_the_worker_confirmed_cancel_is_ignored() {
        JobRecord rec = fold(submitted(), started(1), cancelRequested(), canceled(1), succeeded(1));
        assertEquals(JobStatus.CANCELED, rec.status());
        assertTrue(rec.outputs().isEmpty());
    }

    @Test
    void a_success_that_beats_the_worker_to_the_cancel_wins_and_keeps_the_request_visible() {
        JobRecord rec = fold(submitted(), started(1), cancelRequested(), succeeded(1), canceled(1));
        assertEquals(JobStatus.SUCCEEDED, rec.status());
        assertTrue(rec.cancelRequested());
    }

    @Test
    void a_cancel_racing_success_resolves_the_same_way_on_every_replica() {
        List<JobEvent> history = List.of(submitted(), started(1), progress(1, 1), cancelRequested(), succeeded(1),
                canceled(1), progress(1, 2));
        JobRecord first = fold(history.toArray(JobEvent[]::new));
        JobRecord second = fold(history.toArray(JobEvent[]::new));
        JobRecord fromJson = Json.read(Json.bytes(first), JobRecord.class);
        assertEquals(first, second);
        assertEquals(first, fromJson);
        assertEquals(JobStatus.SUCCEEDED, first.status());
    }

    @Test
    void a_cancel_requested_while_queued_cancels_at_once() {
        JobRecord rec = fold(submitted(), cancelRequested());
        assertEquals(JobStatus.CANCELED, rec.status());
        assertTrue(rec.cancelRequested());
        assertEquals(clock, rec.finishedAt());
    }

    @Test
    void a_requested_cancel_wins_when_the_running_attempt_ends_in_a_retry() {
        JobRecord rec = fold(submitted(), started(1), cancelRequested(), retry(1));
        assertEquals(JobStatus.CANCELED, rec.status());
        assertTrue(rec.status().isTerminal());
        assertFalse(JobStateMachine.apply(rec, started(2)).accepted());
    }

    @Test
    void started_before_submitted_creates_a_running_job_and_the_late_submission_changes_nothing() {
        JobEvent started = started(1);
        JobRecord running = JobStateMachine.apply(null, started).record();
        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(1, running.attempt());
        assertEquals("t1", running.tenant());
        assertEquals(4, running.total());
        JobStateMachine.Decision late = JobStateMachine.apply(running, submitted());
        assertTrue(late.accepted());
        assertSame(running, late.record());
    }

    @Test
    void an_event_for_an_unknown_job_without_its_work_item_is_rejected() {
        JobStateMachine.Decision d = JobStateMachine.apply(null, progress(1, 1));
        assertFalse(d.accepted());
        assertNull(d.record());
        assertTrue(d.reason().contains(JOB));
    }

    @Test
    void versions_grow_by_one_per_applied_change_and_progress_never_goes_back() {
        JobRecord rec = fold(submitted(), started(1), progress(1, 3));
        long v = rec.version();
        JobRecord older = JobStateMachine.apply(rec, progress(1, 2)).record();
        assertSame(rec, older);
        JobRecord newer = JobStateMachine.apply(rec, progress(1, 4)).record();
        assertEquals(v + 1, newer.version());
        assertEquals(4, newer.step());
    }

    @Test
    void succeeded_sets_outputs_and_finish_time_and_an_expiry_can_be_attached_without_a_new_version() {
        JobRecord rec = fold(submitted(), started(1), succeeded(1));
        long finished = rec.finishedAt();
        assertEquals(clock, finished);
        JobRecord withExpiry = rec.withExpiresAt(finished + 86_400_000L);
        assertEquals(rec.version(), withExpiry.version());
        assertEquals(finished + 86_400_000L, Json.read(Json.bytes(withExpiry), JobRecord.class).expiresAt());
    }

    @Test
    void data_deletion_clears_inputs_and_outputs_but_keeps_the_status() {
        JobRecord rec = fold(submitted(), started(1), succeeded(1), dataDeleted());
        assertEquals(JobStatus.SUCCEEDED, rec.status());
        assertTrue(rec.dataDeleted());
        assertTrue(rec.outputs().isEmpty());
        assertTrue(rec.inputs().isEmpty());
    }

    @Test
    void a_submission_acknowledged_in_the_queue_creates_a_record_that_knows_its_work_items_place() {
        WorkItemRef place = new WorkItemRef("photomaker.jobs", 2, 41, 1);
        JobRecord rec = fold(at(JobEvent.submitted(job(), place)));

        assertEquals(JobStatus.QUEUED, rec.status());
        assertEquals(place, rec.workItem());
        assertEquals(new JobControl(0, false, false, place), JobControl.of(rec));
    }

    @Test
    void a_retry_enqueued_later_replaces_the_place_and_an_older_report_changes_nothing() {
        JobRecord first = fold(at(JobEvent.submitted(job(), new WorkItemRef("photomaker.jobs", 2, 41, 1))), started(1), retry(1));
        WorkItemRef again = new WorkItemRef("photomaker.jobs", 2, 90, 2);
        JobRecord moved = JobStateMachine.apply(first, at(JobEvent.enqueued(JOB, again, "w1"))).record();
        assertEquals(again, moved.workItem());
        assertEquals(first.version() + 1, moved.version());

        JobStateMachine.Decision late = JobStateMachine.apply(moved, at(JobEvent.enqueued(JOB,
                new WorkItemRef("photomaker.jobs", 2, 41, 1), "gateway")));
        assertTrue(late.accepted());
        assertFalse(late.changed(moved));
    }

    @Test
    void a_finished_job_whose_work_item_the_workers_passed_is_settled_for_that_partition_only() {
        JobControl done = new JobControl(1, false, true, new WorkItemRef("photomaker.jobs", 3, 10, 1));
        assertTrue(done.settledBelow("photomaker.jobs", 3, 11));
        assertFalse(done.settledBelow("photomaker.jobs", 3, 10), "the item itself is not passed yet");
        assertFalse(done.settledBelow("photomaker.jobs", 4, 11), "another partition says nothing about it");
        assertFalse(done.settledBelow("photomaker.jobs.photomaker-v2", 3, 11), "nor another model's queue");
        assertFalse(new JobControl(1, false, false, new WorkItemRef("photomaker.jobs", 3, 10, 1)).settledBelow("photomaker.jobs", 3, 11));
        assertFalse(new JobControl(1, false, true, null).settledBelow("photomaker.jobs", 3, 11), "an unknown place is never settled");
    }

    // --- helpers: a record in a given state, reached through real events ---

    private JobRecord inState(JobStatus status) {
        return switch (status) {
            case QUEUED -> fold(submitted());
            case RUNNING -> fold(submitted(), started(1));
            case SUCCEEDED -> fold(submitted(), started(1), succeeded(1));
            case FAILED -> fold(submitted(), started(1), failed(1));
            case CANCELED -> fold(submitted(), cancelRequested());
            case EXPIRED -> fold(submitted(), at(JobEvent.expired(JOB, 0, null)));
        };
    }

    private JobEvent eventFor(EventType type, int attempt) {
        return switch (type) {
            case SUBMITTED -> submitted();
            case STARTED -> started(attempt);
            case PROGRESS -> progress(attempt, 1);
            case SUCCEEDED -> succeeded(attempt);
            case FAILED -> failed(attempt);
            case RETRY_SCHEDULED -> retry(attempt);
            case CANCEL_REQUESTED -> cancelRequested();
            case CANCELED -> canceled(attempt);
            case EXPIRED -> at(JobEvent.expired(JOB, attempt, "w"));
            case DATA_DELETED -> dataDeleted();
            case ARCHIVED -> at(JobEvent.archived(JOB));
            case ENQUEUED -> at(JobEvent.enqueued(JOB, new WorkItemRef("photomaker.jobs", 0, 100 + attempt, attempt), "w"));
        };
    }

    private JobRecord fold(JobEvent... events) {
        JobRecord rec = null;
        for (JobEvent e : events) {
            rec = JobStateMachine.apply(rec, e).record();
        }
        return rec;
    }

    private static JobMessage job() {
        return TestJobs.message().id(JOB).request(TestJobs.request().prompt("a photo of a man img").seed(7))
                .submittedAt(500).build();
    }

    /** Gives each event a later, fixed timestamp so folds are reproducible. */
    private JobEvent at(JobEvent e) {
        clock += 10;
        return new JobEvent(e.eventId(), e.jobId(), e.type(), clock, e.attempt(), e.workerId(), e.step(), e.total(),
                e.outputs(), e.failure(), e.job(), e.workItem());
    }

    private JobEvent submitted() {
        return at(JobEvent.submitted(job()));
    }

    private JobEvent started(int attempt) {
        return at(JobEvent.started(job(), attempt, "w" + attempt, 4));
    }

    private JobEvent progress(int attempt, int step) {
        return at(JobEvent.progress(JOB, attempt, "w" + attempt, step, 4));
    }

    private JobEvent succeeded(int attempt) {
        return at(JobEvent.succeeded(JOB, attempt, "w" + attempt,
                List.of(new JobOutput("outputs/" + JOB + "/0.png", 64, 64, 7))));
    }

    private JobEvent failed(int attempt) {
        return at(JobEvent.failed(JOB, attempt, "w" + attempt, JobFailure.permanent("invalid_image", "no face")));
    }

    private JobEvent retry(int attempt) {
        return at(JobEvent.retryScheduled(JOB, attempt, "w" + attempt,
                JobFailure.transientFailure("gpu_lost", "device lost")));
    }

    private JobEvent canceled(int attempt) {
        return at(JobEvent.canceled(JOB, attempt, "w" + attempt));
    }

    private JobEvent cancelRequested() {
        return at(JobEvent.cancelRequested(JOB));
    }

    private JobEvent dataDeleted() {
        return at(JobEvent.dataDeleted(JOB));
    }
}
