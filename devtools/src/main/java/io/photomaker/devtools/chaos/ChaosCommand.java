package io.photomaker.devtools.chaos;

import io.photomaker.cli.Args;
import io.photomaker.cli.Command;
import java.time.Duration;
import java.util.Locale;

/**
 * {@code chaos workers|broker|s3|gateways}: a multi-process failure run (see {@link ChaosRun}); its last line is
 * {@code accepted=N succeeded=N failed=N lost=N duplicated=N}. Exit code 0 only when nothing was lost
 * or duplicated.
 */
public final class ChaosCommand implements Command {
    @Override
    public String name() {
        return "chaos";
    }

    @Override
    public java.util.Set<String> options() {
        return java.util.Set.of("jobs", "workers", "outage-seconds", "kill-every-ms", "timeout-seconds", "seed");
    }

    @Override
    public String summary() {
        return "failure runs: chaos workers|broker|s3|gateways [--jobs 100] [--workers 3] [--outage-seconds 30] [--kill-every-ms 8000] [--seed N]";
    }

    @Override
    public int run(Args a) throws Exception {
        if (a.positional().isEmpty()) {
            throw new Args.UsageException("chaos needs a scenario: workers, broker, s3 or gateways");
        }
        ChaosRun.Scenario scenario;
        try {
            scenario = ChaosRun.Scenario.valueOf(a.positional().get(0).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("unknown scenario " + a.positional().get(0) + " (workers, broker, s3, gateways)");
        }
        ChaosRun.Options opt = new ChaosRun.Options(scenario, a.getInt("jobs", 100), a.getInt("workers", 3),
                Duration.ofSeconds(a.getInt("outage-seconds", scenario == ChaosRun.Scenario.S3 ? 30 : 20)),
                Duration.ofMillis(a.getInt("kill-every-ms", 8000)),
                Duration.ofSeconds(a.getInt("timeout-seconds", 600)), a.getInt("seed", 7));
        ChaosRun.Report report;
        try (ChaosRun run = new ChaosRun(opt, System.out)) {
            report = run.run();
        }
        System.out.println("rejected_during_outage=" + report.rejected() + " rejected_without_retry_after="
                + report.rejectedWithoutRetryAfter() + " workers_killed=" + report.kills());
        System.out.println("executions=" + report.executions() + " output_writes=" + report.outputWrites());
        System.out.println(report.line());
        return report.lost() == 0 && report.duplicated() == 0 ? 0 : 1;
    }
}
