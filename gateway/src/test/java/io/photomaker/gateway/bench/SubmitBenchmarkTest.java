package io.photomaker.gateway.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SubmitBenchmarkTest {
    @Test
    void warm_up_goes_on_while_the_jit_compilers_are_busy() {
        double[] busy = {0.9, 0.8, 0.6, 0.4, 0.3, 0.2, 0.12, 0.08, 0.06};
        for (int n = 1; n <= busy.length; n++) {
            assertFalse(SubmitBenchmark.steady(busy, n), "after " + n + " rounds");
        }
    }

    @Test
    void warm_up_ends_after_two_quiet_rounds_in_a_row() {
        double[] settling = {0.9, 0.5, 0.2, 0.04, 0.09, 0.03, 0.02};
        assertFalse(SubmitBenchmark.steady(settling, 4), "too few rounds to judge");
        assertFalse(SubmitBenchmark.steady(settling, 5), "a busy round restarts the count");
        assertFalse(SubmitBenchmark.steady(settling, 6), "one quiet round is not enough");
        assertTrue(SubmitBenchmark.steady(settling, 7));
    }

    @Test
    void jvm_threads_are_told_apart_by_their_os_names() {
        assertEquals(JvmThreads.JIT, JvmThreads.kind("C2 CompilerThre"));
        assertEquals(JvmThreads.JIT, JvmThreads.kind("C1 CompilerThre"));
        assertEquals(JvmThreads.GC, JvmThreads.kind("GC Thread#1"));
        assertEquals(JvmThreads.GC, JvmThreads.kind("G1 Conc#0"));
        assertEquals(JvmThreads.VM, JvmThreads.kind("VM Thread"));
        assertEquals(null, JvmThreads.kind("vert.x-eventloo"));
    }

    @Test
    void the_pair_ratio_is_the_median_over_pairs() {
        PairedRounds pairs = new PairedRounds();
        pairs.add(new ClosedLoop.Round(600, 200, 8), new ClosedLoop.Round(500, 100, 16));
        pairs.add(new ClosedLoop.Round(600, 200, 8), new ClosedLoop.Round(500, 180, 9));
        pairs.add(new ClosedLoop.Round(600, 220, 8), new ClosedLoop.Round(500, 200, 10));
        assertEquals(200.0 / 180, pairs.throughputRatio(), 1e-9);
        assertEquals(10.0 / 8, pairs.cpuRatio(), 1e-9);
    }

    @Test
    void a_round_reports_throughput_and_cpu_per_operation() {
        ClosedLoop.Round r = ClosedLoop.Round.of(600, 3.0, 6_000_000_000L);
        assertEquals(200, r.perSecond(), 1e-9);
        assertEquals(10, r.cpuMsEach(), 1e-9);
    }
}
