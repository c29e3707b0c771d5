package io.photomaker.gateway.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import io.photomaker.gateway.Fixtures;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatusEventsTest {
    private final JobMessage job = Fixtures.job("t");

    private JobRecord fold(JobEvent... events) {
        JobRecord r = null;
        for (JobEvent e : events) {
            r = JobStateMachine.apply(r, e).record();
        }
        return r;
    }

    @Test
    void each_status_maps_to_its_event_name_with_the_record_version_as_id() {
        JobRecord queued = fold(JobEvent.submitted(job));
        JobRecord started = fold(JobEvent.submitted(job), JobEvent.started(job, 1, "w", 4));
        JobRecord progress = fold(JobEvent.submitted(job), JobEvent.started(job, 1, "w", 4),
                JobEvent.progress(job.jobId(), 1, "w", 2, 4));
        assertEquals("queued", StatusEvents.of(queued, "").name());
        assertEquals("started", StatusEvents.of(started, "").name());
        StatusEvent p = StatusEvents.of(progress, "");
        assertEquals("progress", p.name());
        assertEquals(3, p.version());
        assertEquals(2, p.data().get("step"));
        assertEquals(4, p.data().get("total"));
        assertFalse(p.isTerminal());
    }

    @Test
    void succeeded_lists_gateway_output_links_and_failed_carries_the_error() {
        JobOutput o = new JobOutput("outputs/" + job.jobId() + "/0.png", 64, 64, 1);
        JobOutput o2 = new JobOutput("outputs/" + job.jobId() + "/1.png", 64, 64, 2);
        JobRecord done = fold(JobEvent.submitted(job), JobEvent.started(job, 1, "w", 4),
                JobEvent.succeeded(job.jobId(), 1, "w", List.of(o, o2)));
        StatusEvent s = StatusEvents.of(done, "https://gw.example");
        assertTrue(s.isTerminal());
        assertEquals(List.of("https://gw.example/v1/jobs/" + job.jobId() + "/outputs/0",
                "https://gw.example/v1/jobs/" + job.jobId() + "/outputs/1"), s.data().get("outputs"));
        JobRecord failed = fold(JobEvent.submitted(job), JobEvent.started(job, 1, "w", 4),
                JobEvent.failed(job.jobId(), 1, "w", JobFailure.permanent("invalid_image", "no face found")));
        StatusEvent f = StatusEvents.of(failed, "");
        assertEquals("failed", f.name());
        assertEquals(Map.of("type", "invalid_image", "message", "no face found"), f.data().get("error"));
    }

    @Test
    void the_sse_framing_has_id_event_and_one_data_line_ending_in_a_blank_line() {
        StatusEvent e = StatusEvents.of(fold(JobEvent.submitted(job), JobEvent.cancelRequested(job.jobId())), "");
        String sse = e.toSse();
        assertTrue(sse.startsWith("id: " + e.version() + "\nevent: canceled\ndata: {"), sse);
        assertTrue(sse.endsWith("}\n\n"));
        assertEquals(4, sse.split("\n", -1).length - 1);
    }
}
