package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobDefaults;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.json.Json;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import io.photomaker.worker.pipeline.noise.NoiseDtype;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every generation field of a job reaches the pipeline: from the request, through the work item's JSON on the
 * topic, to the {@link GenerationRequest} the worker builds. A new request field must be added to one of the two
 * lists below, so a field cannot be dropped silently.
 */
class JobFieldWiringTest {

    /** Request fields the pipeline sees, with where they arrive in the generation. */
    private static final Map<String, Function<GenerationRequest, Object>> GENERATION_FIELDS = Map.ofEntries(
            Map.entry("prompt", GenerationRequest::prompt),
            Map.entry("negativePrompt", GenerationRequest::negativePrompt),
            Map.entry("style", GenerationRequest::style),
            Map.entry("numSteps", GenerationRequest::steps),
            Map.entry("guidanceScale", GenerationRequest::guidanceScale),
            Map.entry("guidanceRescale", GenerationRequest::guidanceRescale),
            Map.entry("styleStrength", GenerationRequest::styleStrength),
            Map.entry("seed", GenerationRequest::seed),
            Map.entry("width", GenerationRequest::width),
            Map.entry("height", GenerationRequest::height),
            Map.entry("numOutputs", GenerationRequest::numOutputs),
            Map.entry("scheduler", GenerationRequest::scheduler),
            Map.entry("noise", g -> g.noise().generator()),
            Map.entry("noiseDtype", g -> g.noise().dtype().wireName()));

    /**
     * Request fields the service acts on before or around the pipeline: identities become embeddings, the model
     * picks the queue and fleet, the identity check scores and regenerates outputs after the pipeline, and the
     * output format is how the worker encodes the pictures the pipeline returns.
     */
    private static final Set<String> SERVICE_FIELDS = Set.of("identityIds", "deadlineSeconds", "webhook",
            "webhookEvents", "model", "minIdentitySimilarity", "maxRegenerations", "outputFormat", "outputQuality");

    private static final JobRequest NO_DEFAULTS = new JobRequest("a photo of a man img", "", "Cinematic", 31, 6.5,
            0.35, 42.0, 9_876_543_210L, 640, 896, 3, "dpmpp_2m_karras", "torch_cpu", "float32",
            List.of(new IdentityRef("idn_x", 1)), 600L, "https://example.test/hook", List.of("completed"), "photomaker-v1",
            0.4, 2, "webp", 80);

    @Test
    void every_request_field_is_either_a_generation_field_or_a_service_field() {
        Set<String> classified = new TreeSet<>(GENERATION_FIELDS.keySet());
        classified.addAll(SERVICE_FIELDS);
        Set<String> fields = new TreeSet<>();
        for (RecordComponent c : JobRequest.class.getRecordComponents()) {
            fields.add(c.getName());
        }
        assertEquals(fields, classified);
    }

    @Test
    void every_generation_field_reaches_the_pipeline_through_the_work_item() {
        JobMessage message = new JobMessage("job_x", "tenant", NO_DEFAULTS, List.of(), 1, 0, 1);
        JobMessage delivered = Json.read(Json.bytes(message), JobMessage.class);
        CudaGrid grid = new CudaGrid(132, 2048);

        GenerationRequest g = PhotoMakerJobHandler.toGeneration(delivered.request(), List.of(new float[] {1f}), grid);

        assertSame(grid, g.noise().grid());
        JobRequest defaults = new JobRequest("x", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null).withDefaults(0);
        for (var field : GENERATION_FIELDS.entrySet()) {
            Object sent = value(NO_DEFAULTS, field.getKey());
            Object arrived = field.getValue().apply(g);
            assertEquals(String.valueOf(sent), String.valueOf(arrived), field.getKey());
            assertNotEquals(String.valueOf(value(defaults, field.getKey())), String.valueOf(arrived),
                    field.getKey() + " must differ from its default in this test, or a dropped field would pass");
        }
    }

    @Test
    void a_work_item_without_optional_fields_gets_the_demo_defaults() {
        JobRequest bare = new JobRequest("a photo of a man img", null, null, null, null, null, null, 5L, null, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null);
        GenerationRequest g = PhotoMakerJobHandler.toGeneration(bare, List.of(new float[] {1f}), CudaGrid.defaults());
        assertEquals(JobDefaults.NEGATIVE_PROMPT, g.negativePrompt());
        assertEquals(JobDefaults.STYLE, g.style());
        assertEquals(JobDefaults.NUM_STEPS, g.steps());
        assertEquals(JobDefaults.GUIDANCE_SCALE, g.guidanceScale());
        assertEquals(JobDefaults.STYLE_STRENGTH, g.styleStrength());
        assertEquals(JobDefaults.NUM_OUTPUTS, g.numOutputs());
        assertEquals(NoiseDtype.BFLOAT16, g.noise().dtype());
        assertEquals(5L, g.seed());
    }

    private static Object value(JobRequest r, String field) {
        try {
            return Arrays.stream(JobRequest.class.getRecordComponents()).filter(c -> c.getName().equals(field))
                    .findFirst().orElseThrow().getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
