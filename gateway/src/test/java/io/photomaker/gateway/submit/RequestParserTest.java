package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.photomaker.common.job.JobRequest;
import io.photomaker.gateway.http.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestParserTest {
    private static JobRequest parse(String json) {
        return RequestParser.parse(RequestParser.tree(json.getBytes(StandardCharsets.UTF_8), "request"), Set.of());
    }

    private static ApiError refused(String json) {
        return assertThrows(ApiError.class, () -> parse(json));
    }

    @Test
    void every_documented_field_is_read_and_nulls_mean_absent() {
        JobRequest r = parse("{\"prompt\":\"a man img\",\"negative_prompt\":\"x\",\"style\":\"Neonpunk\",\"num_steps\":30,"
                + "\"guidance_scale\":5,\"guidance_rescale\":0.5,\"style_strength\":20.5,\"seed\":9007199254740993,"
                + "\"width\":512,\"height\":768,\"num_outputs\":2,\"scheduler\":\"ddim\","
                + "\"identity_ids\":[{\"id\":\"idn_1\",\"weight\":2},{\"id\":\"idn_2\"}],\"deadline_seconds\":60,"
                + "\"webhook\":\"https://h.example/x\",\"webhook_events\":[\"completed\"],"
                + "\"output_format\":\"webp\",\"output_quality\":75}");
        assertEquals(30, r.numSteps());
        assertEquals(5.0, r.guidanceScale());
        assertEquals(9007199254740993L, r.seed());
        assertEquals(2, r.identityIds().get(0).weight());
        assertEquals(1, r.identityIds().get(1).weight());
        assertEquals(List.of("completed"), r.webhookEvents());
        assertEquals("webp", r.outputFormat());
        assertEquals(75, r.outputQuality());
        assertNull(parse("{\"prompt\":\"a man img\",\"seed\":null}").seed());
    }

    @Test
    void wrong_json_types_name_the_field() {
        assertEquals("num_steps", refused("{\"num_steps\":\"30\"}").field());
        assertEquals("num_steps", refused("{\"num_steps\":30.5}").field());
        assertEquals("prompt", refused("{\"prompt\":5}").field());
        assertEquals("guidance_scale", refused("{\"guidance_scale\":true}").field());
        assertEquals("webhook_events[1]", refused("{\"webhook_events\":[\"completed\",3]}").field());
        assertEquals("identity_ids[0]", refused("{\"identity_ids\":[\"idn_1\"]}").field());
        assertEquals("output_quality", refused("{\"output_quality\":\"high\"}").field());
        assertEquals("invalid_type", refused("{\"identity_ids\":{}}").type());
    }

    @Test
    void unknown_and_duplicate_fields_and_trailing_garbage_are_refused() {
        assertEquals("unknown_field", refused("{\"promt\":\"x\"}").type());
        assertEquals("identity_ids[0].w", refused("{\"identity_ids\":[{\"id\":\"a\",\"w\":1}]}").field());
        assertEquals("invalid_json", refused("{\"prompt\":\"a\",\"prompt\":\"b\"}").type());
        assertEquals("invalid_json", refused("{\"prompt\":\"a\"} {}").type());
        assertEquals("invalid_json", refused("{\"seed\":NaN}").type());
    }

    @Test
    void numbers_too_big_for_their_field_are_out_of_range() {
        assertEquals("out_of_range", refused("{\"num_steps\":99999999999}").type());
        assertEquals("out_of_range", refused("{\"seed\":99999999999999999999999}").type());
    }

    @Test
    void deeply_nested_json_is_refused_without_a_stack_overflow() {
        String deep = "{\"identity_ids\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertEquals("invalid_json", refused(deep).type());
    }
}
