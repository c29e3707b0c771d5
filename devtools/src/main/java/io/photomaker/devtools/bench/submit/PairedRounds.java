package io.photomaker.devtools.bench.submit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * Baseline and gateway rounds taken in adjacent pairs, so each pair shares whatever else the machine was
 * doing at the time. The headline ratio is the median over pairs of baseline throughput / gateway
 * throughput: on a shared machine a neighbour's burst spoils a pair or two, not the median. The best
 * round of each side and the ratio of means are printed beside it.
 */
final class PairedRounds {
    private final List<ClosedLoop.Round> baseline = new ArrayList<>();
    private final List<ClosedLoop.Round> gateway = new ArrayList<>();

    void add(ClosedLoop.Round baselineRound, ClosedLoop.Round gatewayRound) {
        baseline.add(baselineRound);
        gateway.add(gatewayRound);
    }

    /** Median over pairs of baseline throughput divided by gateway throughput. */
    double throughputRatio() {
        return medianOfPairs(i -> baseline.get(i).perSecond() / gateway.get(i).perSecond());
    }

    /** Median over pairs of gateway CPU per submission divided by baseline CPU per submission. */
    double cpuRatio() {
        return medianOfPairs(i -> gateway.get(i).cpuMsEach() / baseline.get(i).cpuMsEach());
    }

    double gatewayMeanThroughput() {
        return mean(gateway);
    }

    /** Median CPU milliseconds per baseline submission. */
    double baselineCpuMs() {
        return median(baseline, ClosedLoop.Round::cpuMsEach);
    }

    /** Median CPU milliseconds per gateway submission. */
    double gatewayCpuMs() {
        return median(gateway, ClosedLoop.Round::cpuMsEach);
    }

    void print(PrintStream out) {
        StringBuilder pairs = new StringBuilder("throughput ratio per pair:");
        for (int i = 0; i < baseline.size(); i++) {
            pairs.append(String.format(Locale.ROOT, " %.2f", baseline.get(i).perSecond() / gateway.get(i).perSecond()));
        }
        out.println(pairs);
        out.printf(Locale.ROOT, "baseline (4 S3 puts + 1 Kafka record): mean %.0f, best %.0f submissions/s, %.2f ms CPU"
                + " each (median)%n", mean(baseline), best(baseline), median(baseline, ClosedLoop.Round::cpuMsEach));
        out.printf(Locale.ROOT, "gateway (HTTP multipart, checks, S3, 2 Kafka records): mean %.0f, best %.0f"
                + " submissions/s, %.2f ms CPU each (median)%n", mean(gateway), best(gateway),
                median(gateway, ClosedLoop.Round::cpuMsEach));
        out.printf(Locale.ROOT, "ratio of best rounds %.2f, ratio of means %.2f, median pair ratio %.2f%n",
                best(baseline) / best(gateway), mean(baseline) / mean(gateway), throughputRatio());
        out.printf(Locale.ROOT, "CPU per submission without the load generator, median pair ratio:"
                + " submit_cpu_ratio=%.2f%n", cpuRatio());
    }

    private double medianOfPairs(java.util.function.IntToDoubleFunction ratio) {
        double[] r = new double[baseline.size()];
        for (int i = 0; i < r.length; i++) {
            r[i] = ratio.applyAsDouble(i);
        }
        return median(r);
    }

    private static double mean(List<ClosedLoop.Round> rounds) {
        return rounds.stream().mapToDouble(ClosedLoop.Round::perSecond).average().orElse(0);
    }

    private static double best(List<ClosedLoop.Round> rounds) {
        return rounds.stream().mapToDouble(ClosedLoop.Round::perSecond).max().orElse(0);
    }

    private static double median(List<ClosedLoop.Round> rounds, ToDoubleFunction<ClosedLoop.Round> f) {
        return median(rounds.stream().mapToDouble(f).toArray());
    }

    static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
