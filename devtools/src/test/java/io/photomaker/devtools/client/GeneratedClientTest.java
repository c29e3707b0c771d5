package io.photomaker.devtools.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.client.ApiClient;
import io.photomaker.client.ApiException;
import io.photomaker.client.api.JobsApi;
import io.photomaker.client.model.Job;
import io.photomaker.client.model.JobList;
import io.photomaker.client.model.JobRequest;
import io.photomaker.client.model.JobStatus;
import io.photomaker.devtools.EmbeddedStack;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.awt.image.BufferedImage;
import java.io.File;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client that openapi-generator (native library) writes from the gateway's openapi.json at
 * build time, used as an API user would use it against the whole system (embedded Kafka and S3, a
 * gateway, a worker on the tiny models): submit with photos, poll, download an output, cancel, list.
 */
class GeneratedClientTest {
    private static final Set<JobStatus> TERMINAL =
            Set.of(JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELED, JobStatus.EXPIRED);
    private static EmbeddedStack stack;
    private static JobsApi jobs;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start(0, 1, null, Map.of());
        ApiClient client = new ApiClient();
        client.updateBaseUri(stack.url());
        // outputs are a redirect to a presigned object-store URL
        client.setHttpClientBuilder(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL));
        jobs = new JobsApi(client);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static File photo(String name, byte[] bytes) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p.toFile();
    }

    /** The request part as the generated client sends it: the generated model as JSON text. */
    private static String json(JobRequest request) throws Exception {
        return new ApiClient().getObjectMapper().writeValueAsString(request);
    }

    private static Job awaitTerminal(String id) {
        return Await.value("job " + id + " to end", Duration.ofSeconds(120), () -> {
            try {
                Job job = jobs.getJob(id);
                return TERMINAL.contains(job.getStatus()) ? job : null;
            } catch (ApiException e) {
                return null;
            }
        });
    }

    @Test
    void a_job_submitted_with_photos_through_the_generated_client_yields_a_downloadable_png() throws Exception {
        JobRequest request = new JobRequest().prompt("a portrait of a man img wearing a red scarf, caf\u00e9 light")
                .numSteps(4).width(96).height(64).numOutputs(1).seed(3);
        Job submitted = jobs.createJob(json(request), List.of(
                photo("one.jpg", SamplePortraits.jpeg(10, 200, 240)),
                photo("two.png", SamplePortraits.png(11, 200, 240))), null, null);
        assertEquals(JobStatus.QUEUED, submitted.getStatus());

        Job done = awaitTerminal(submitted.getId());
        assertEquals(JobStatus.SUCCEEDED, done.getStatus(), String.valueOf(done));
        assertEquals(1, done.getOutputs().size());

        File png = jobs.getJobOutput(done.getId(), 0);
        BufferedImage image = ImageIO.read(png);
        assertNotNull(image, "the download is a PNG");
        assertEquals(96, image.getWidth());
        assertEquals(64, image.getHeight());

        JobList listed = jobs.listJobs(50, null, JobStatus.SUCCEEDED);
        assertTrue(listed.getData().stream().anyMatch(j -> j.getId().equals(done.getId())), String.valueOf(listed));
    }

    @Test
    void a_job_canceled_through_the_generated_client_ends_canceled() throws Exception {
        // the largest job the API takes, so the tiny models still need seconds for it
        JobRequest request = new JobRequest().prompt("a woman img in a forest").numSteps(100).width(2048)
                .height(2048).numOutputs(4);
        Job submitted = jobs.createJob(json(request), List.of(photo("a.png", SamplePortraits.png(1, 128, 128))),
                null, null);
        assertEquals("requested", jobs.cancelJob(submitted.getId()).getCancel().getValue());
        assertEquals(JobStatus.CANCELED, awaitTerminal(submitted.getId()).getStatus());
    }
}
