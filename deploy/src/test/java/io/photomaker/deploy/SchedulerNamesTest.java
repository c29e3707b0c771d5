package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.common.job.SchedulerName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The API document offers exactly the schedulers of {@link SchedulerName}, in its order, with its default. */
class SchedulerNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"JobRequest", "JobSubmissionJson"})
    void the_api_documents_scheduler_enum_is_the_scheduler_name_enum(String schema) throws IOException {
        JsonNode scheduler = new ObjectMapper().readTree(RepoLayout.path(OpenApiLintTest.DOCUMENT).toFile())
                .at("/components/schemas/" + schema + "/properties/scheduler");
        assertTrue(scheduler.path("enum").isArray(), schema + ".scheduler has no enum");
        List<String> listed = new ArrayList<>();
        scheduler.path("enum").forEach(v -> listed.add(v.asText()));
        assertEquals(SchedulerName.wireNames(), listed);
        assertEquals(SchedulerName.DEFAULT.wireName(), scheduler.path("default").asText());
    }
}
