package io.photomaker.worker.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GaussianNoiseTest {

    @Test
    void the_same_seed_gives_the_same_sequence() {
        float[] a = new float[1000];
        float[] b = new float[1000];
        new GaussianNoise(1234).fill(a);
        new GaussianNoise(1234).fill(b);
        assertArrayEquals(a, b);
        assertEquals(1234, new GaussianNoise(1234).seed());
    }

    @Test
    void different_seeds_give_different_sequences() {
        float[] a = new float[16];
        float[] b = new float[16];
        new GaussianNoise(1).fill(a);
        new GaussianNoise(2).fill(b);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void splitting_the_draws_into_several_fills_does_not_change_the_sequence() {
        float[] whole = new float[101];
        new GaussianNoise(5).fill(whole);
        GaussianNoise pieces = new GaussianNoise(5);
        float[] split = new float[101];
        pieces.fill(split, 0, 3);
        pieces.fill(split, 3, 50);
        for (int k = 53; k < 101; k++) {
            split[k] = pieces.nextFloat();
        }
        assertArrayEquals(whole, split);
    }

    @Test
    void the_sequence_does_not_depend_on_the_thread_that_draws_it() throws Exception {
        float[] here = new float[4096];
        new GaussianNoise(77).fill(here);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<float[]> first = pool.submit(() -> draw(77));
            Future<float[]> second = pool.submit(() -> draw(77));
            assertArrayEquals(here, first.get(30, TimeUnit.SECONDS));
            assertArrayEquals(here, second.get(30, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void values_are_standard_normal() {
        int n = 1_000_000;
        float[] values = new float[n];
        new GaussianNoise(2024).fill(values);
        double sum = 0;
        double sumSquares = 0;
        int withinOneSigma = 0;
        for (float v : values) {
            assertTrue(Float.isFinite(v));
            sum += v;
            sumSquares += (double) v * v;
            if (Math.abs(v) < 1) {
                withinOneSigma++;
            }
        }
        double mean = sum / n;
        double variance = sumSquares / n - mean * mean;
        // standard errors: mean 0.001, variance 0.0014, the one-sigma fraction 0.00047
        assertEquals(0, mean, 0.005);
        assertEquals(1, variance, 0.007);
        assertEquals(0.6827, withinOneSigma / (double) n, 0.0025);
    }

    private static float[] draw(long seed) {
        float[] out = new float[4096];
        new GaussianNoise(seed).fill(out);
        return out;
    }
}
