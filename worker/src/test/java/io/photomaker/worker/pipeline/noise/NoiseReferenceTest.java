package io.photomaker.worker.pipeline.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Bit-for-bit comparison with noise-reference/reference.json, written by generate.py beside it: a vectorised
 * numpy reimplementation sharing no code with these generators. Covers below and above the CUDA thread cap
 * (all four lanes, several groups, offsets across calls, a 64-bit seed, SDXL-sized draws), half-precision
 * roundings, and the CPU generator's blocks, redrawn tails and small double-precision draws.
 */
class NoiseReferenceTest {

    private static final JsonNode CASES = load();

    @Test
    void every_cuda_draw_matches_the_reference_bit_for_bit() {
        int compared = 0;
        for (JsonNode c : cases("cuda")) {
            var generator = new TorchCudaGenerator(c.path("seed").asLong(),
                    new CudaGrid(c.path("sm_count").asInt(), c.path("threads_per_sm").asInt()));
            NoiseDtype dtype = NoiseDtype.of(c.path("dtype").asText());
            for (JsonNode draw : c.path("draws")) {
                assertEquals(draw.path("offset").asLong(), generator.offset(), c.path("name").asText() + ": offset");
                float[] values = generator.randn(draw.path("numel").asInt());
                dtype.roundAll(values);
                compared += compare(c.path("name").asText(), draw.path("values"), values);
            }
        }
        assertTrue(compared > 5000, "compared " + compared + " values");
    }

    @Test
    void every_cpu_draw_matches_the_reference_bit_for_bit() {
        int compared = 0;
        for (JsonNode c : cases("cpu")) {
            var generator = new TorchCpuGenerator(c.path("seed").asLong());
            for (JsonNode draw : c.path("draws")) {
                compared += compare(c.path("name").asText(), draw.path("values"), generator.randn(draw.path("numel").asInt()));
            }
        }
        assertTrue(compared > 1000, "compared " + compared + " values");
    }

    @Test
    void the_reference_covers_draws_above_the_thread_cap() {
        boolean above = false;
        for (JsonNode c : cases("cuda")) {
            var grid = new CudaGrid(c.path("sm_count").asInt(), c.path("threads_per_sm").asInt());
            for (JsonNode draw : c.path("draws")) {
                above |= draw.path("numel").asLong() > 4 * grid.threadCap();
            }
        }
        assertTrue(above, "some draw needs more than one group of four lanes per thread");
        assertFalse(cases("cpu").isEmpty());
    }

    private static int compare(String name, JsonNode expected, float[] values) {
        int count = 0;
        for (Map.Entry<String, JsonNode> entry : iterable(expected)) {
            int index = Integer.parseInt(entry.getKey());
            String actual = String.format("%08x", Float.floatToRawIntBits(values[index]));
            assertEquals(entry.getValue().asText(), actual, name + ": element " + index + " (" + values[index] + ")");
            count++;
        }
        return count;
    }

    private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>();
        node.fields().forEachRemaining(entries::add);
        return entries;
    }

    private static List<JsonNode> cases(String generator) {
        List<JsonNode> out = new ArrayList<>();
        CASES.path("cases").forEach(c -> {
            if (c.path("generator").asText().equals(generator)) {
                out.add(c);
            }
        });
        return out;
    }

    private static JsonNode load() {
        try (InputStream in = NoiseReferenceTest.class.getResourceAsStream("/noise-reference/reference.json")) {
            if (in == null) {
                throw new IllegalStateException("noise-reference/reference.json missing from test resources");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
