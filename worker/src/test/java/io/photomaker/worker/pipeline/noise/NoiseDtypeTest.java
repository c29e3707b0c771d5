package io.photomaker.worker.pipeline.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class NoiseDtypeTest {

    @Test
    void rounding_is_to_nearest_with_ties_to_even() {
        // bfloat16 keeps 8 significant bits: 1 + 2^-8 is halfway between 1 and 1 + 2^-7
        assertEquals(1f, NoiseDtype.BFLOAT16.round(1f + 0x1p-8f), 0f);
        assertEquals(1f + 0x1p-6f, NoiseDtype.BFLOAT16.round(1f + 0x1p-7f + 0x1p-8f), 0f);
        assertEquals(1f + 0x1p-7f, NoiseDtype.BFLOAT16.round(1f + 0x1p-8f + 0x1p-20f), 0f);
        // float16 keeps 11 significant bits
        assertEquals(1f, NoiseDtype.FLOAT16.round(1f + 0x1p-11f), 0f);
        assertEquals(1f + 0x1p-9f, NoiseDtype.FLOAT16.round(1f + 0x1p-10f + 0x1p-11f), 0f);
        assertEquals(-2.5f, NoiseDtype.FLOAT16.round(-2.5f), 0f);
    }

    @Test
    void float16_subnormals_and_overflow_follow_ieee_half() {
        assertEquals(0x1p-24f, NoiseDtype.FLOAT16.round(0x1p-24f * 1.4f), 0f);
        assertEquals(0f, NoiseDtype.FLOAT16.round(0x1p-26f), 0f);
        assertEquals(65504f, NoiseDtype.FLOAT16.round(65519f), 0f);
        assertEquals(Float.POSITIVE_INFINITY, NoiseDtype.FLOAT16.round(65520f), 0f);
        assertEquals(0.1f, NoiseDtype.FLOAT32.round(0.1f), 0f);
    }

    @Test
    void names_are_the_wire_names() {
        assertEquals(NoiseDtype.BFLOAT16, NoiseDtype.of("bfloat16"));
        assertEquals(NoiseDtype.FLOAT16, NoiseDtype.of("Float16"));
        assertEquals("float32", NoiseDtype.FLOAT32.wireName());
    }
}
