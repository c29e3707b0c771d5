package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import io.photomaker.gateway.Fixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookPlannerTest {
    private final WebhookPlanner planner = new WebhookPlanner("https://gw.example");

    /** Applies events one by one with the given event times and collects the planned deliveries. */
    private List<WebhookDelivery> run(JobMessage job, long[] times, JobEvent... events) {
        List<WebhookDelivery> out = new ArrayList<>();
        JobRecord rec = null;
        for (int i = 0; i < events.length; i++) {
            JobEvent e = events[i];
            JobEvent timed = new JobEvent(e.eventId(), e.jobId(), e.type(), times[i], e.attempt(), e.workerId(),
                    e.step(), e.total(), e.outputs(), e.failure(), e.job());
            JobStateMachine.Decision d = JobStateMachine.apply(rec, timed);
            if (d.changed(rec)) {
                Optional<WebhookDelivery> w = planner.plan(rec, d.record());
                w.ifPresent(out::add);
            }
            rec = d.record();
        }
        return out;
    }

    private static JobEvent[] lifecycle(JobMessage job) {
        List<JobEvent> es = new ArrayList<>(List.of(JobEvent.submitted(job), JobEvent.started(job, 1, "w", 6)));
        for (int step = 1; step <= 6; step++) {
            es.add(JobEvent.progress(job.jobId(), 1, "w", step, 6));
        }
        es.add(JobEvent.succeeded(job.jobId(), 1, "w", List.of(new JobOutput("outputs/x/0.png", 64, 64, 1))));
        return es.toArray(JobEvent[]::new);
    }

    private static final long[] TIMES = {0, 100, 200, 300, 400, 800, 900, 1400, 1500};

    @Test
    void the_default_filter_sends_only_the_completion_with_a_thin_payload() {
        JobMessage job = Fixtures.job("t", "https://hooks.example/x", null, 0);
        List<WebhookDelivery> ds = run(job, TIMES, lifecycle(job));
        assertEquals(1, ds.size());
        WebhookDelivery d = ds.get(0);
        assertEquals("job.succeeded", d.type());
        assertEquals(WebhookDelivery.idFor(job.jobId(), 9), d.id());
        JsonNode body = Json.mapper().valueToTree(Json.read(d.payload().getBytes(), Object.class));
        assertEquals("job.succeeded", body.get("type").asText());
        assertEquals(job.jobId(), body.at("/data/id").asText());
        assertEquals("succeeded", body.at("/data/status").asText());
        assertEquals("https://gw.example/v1/jobs/" + job.jobId() + "/outputs/0", body.at("/data/outputs/0").asText());
        assertEquals(6, body.at("/data/progress/total").asInt());
        assertTrue(body.get("timestamp").asText().startsWith("1970-01-01T00:00:01.5"));
    }

    @Test
    void progress_is_throttled_to_two_per_second_of_event_time() {
        JobMessage job = Fixtures.job("t", "https://hooks.example/x", List.of("started", "progress", "completed"), 0);
        List<String> types = run(job, TIMES, lifecycle(job)).stream().map(WebhookDelivery::type).toList();
        // progress at 200 (sent), 300, 400 (too soon), 800 (sent), 900 (too soon), 1400 (sent)
        assertEquals(List.of("job.started", "job.progress", "job.progress", "job.progress", "job.succeeded"), types);
    }

    @Test
    void a_job_without_a_webhook_plans_nothing_and_started_only_filters_the_rest() {
        JobMessage none = Fixtures.job("t");
        assertTrue(run(none, TIMES, lifecycle(none)).isEmpty());
        JobMessage startedOnly = Fixtures.job("t", "https://hooks.example/x", List.of("started"), 0);
        assertEquals(List.of("job.started"),
                run(startedOnly, TIMES, lifecycle(startedOnly)).stream().map(WebhookDelivery::type).toList());
    }
}
