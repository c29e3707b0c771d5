package io.photomaker.devtools.bench.submit;

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

    @Test
    void paced_slots_are_one_period_apart_and_unpaced_ones_are_all_now() {
        ClosedLoop.Pace paced = new ClosedLoop.Pace(1_000, 200);
        assertEquals(1_000, paced.nextSlot());
        assertEquals(1_000 + 5_000_000, paced.nextSlot());
        assertEquals(1_000 + 10_000_000, paced.nextSlot());
        ClosedLoop.Pace unpaced = new ClosedLoop.Pace(7, 0);
        assertEquals(7, unpaced.nextSlot());
        assertEquals(7, unpaced.nextSlot());
    }

    @Test
    void a_paced_round_never_starts_more_operations_than_its_rate_allows() throws Exception {
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        try (ClosedLoop loop = new ClosedLoop(16, System::nanoTime, System.out)) {
            ClosedLoop.Round r = loop.run("paced", () -> {
                started.incrementAndGet();
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }, 500, 100);
            // Slots at 0, 10, ..., 500 ms: at most 51 fit in the round, however fast the operation is.
            assertTrue(started.get() <= 51, started.get() + " operations started");
            assertTrue(r.done() >= 10, r.done() + " operations done");
            assertEquals(started.get(), r.done());
        }
    }

    @Test
    void numeric_options_fall_back_to_their_default_and_refuse_what_is_not_a_number() {
        java.util.List<String> args = java.util.List.of("--rounds", "3", "--pace", "0.6", "--breakdown");
        assertEquals(3, SubmitBenchmark.option(args, "--rounds", 8));
        assertEquals(0.6, SubmitBenchmark.option(args, "--pace", 0.85));
        assertEquals(0.85, SubmitBenchmark.option(java.util.List.of(), "--pace", 0.85));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SubmitBenchmark.option(java.util.List.of("--pace", "fast"), "--pace", 0.85));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SubmitBenchmark.option(java.util.List.of("--pace"), "--pace", 0.85));
    }
}
