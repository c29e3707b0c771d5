package io.photomaker.common.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureTextTest {

    @Test
    void storage_client_messages_lose_keys_addresses_and_service_details() {
        String raw = "cannot fetch ID photo 1: cannot get inputs/job_01H/0.png: Unable to execute HTTP request:"
                + " Connection refused: minio.internal:9000/10.0.3.7:9000 (Service: S3, Status Code: 503,"
                + " Request ID: 17F2AB)";
        String safe = FailureText.scrub(raw);
        for (String leak : List.of("inputs/", "job_01H", "minio.internal", "10.0.3.7", "9000", "Request ID", "S3,")) {
            assertFalse(safe.contains(leak), leak + " in " + safe);
        }
        assertTrue(safe.startsWith("cannot fetch ID photo 1"), safe);
    }

    @Test
    void urls_ipv6_paths_and_exception_names_are_replaced() {
        String safe = FailureText.scrub("java.lang.IllegalStateException: model /models/sdxl/unet.onnx at"
                + " http://s3.eu-west-1.amazonaws.com/photomaker-prod/x via [fd00::12]:443 and fe80::1%eth0");
        for (String leak : List.of("java.lang", "IllegalStateException", "/models", "unet.onnx", "amazonaws",
                "photomaker-prod", "fd00", "fe80")) {
            assertFalse(safe.contains(leak), leak + " in " + safe);
        }
    }

    @Test
    void ordinary_messages_pass_unchanged_and_long_ones_are_cut() {
        String plain = "ID photo 2: image is 9000x9000 = 81000000 pixels; at most 40000000 allowed";
        assertEquals(plain, FailureText.scrub(plain));
        String prompt = "the prompt needs the trigger word 'img' right after a class word such as 'man' or 'woman'";
        assertEquals(prompt, FailureText.scrub(prompt));
        assertEquals(FailureText.MAX_LENGTH, FailureText.scrub("x".repeat(1000)).length());
        assertNull(FailureText.scrub(null));
    }

    @Test
    void a_failure_is_scrubbed_however_it_is_made_even_when_read_back_from_json() {
        JobFailure made = JobFailure.transientFailure("storage_unavailable", "cannot put outputs/job_1/0.png at"
                + " 10.1.1.1:9000");
        assertFalse(made.message().contains("10.1.1.1") || made.message().contains("outputs/"), made.message());
        byte[] forged = "{\"type\":\"x\",\"message\":\"see http://10.0.0.1/admin\",\"retryable\":false}".getBytes();
        assertFalse(Json.read(forged, JobFailure.class).message().contains("10.0.0.1"));
    }
}
