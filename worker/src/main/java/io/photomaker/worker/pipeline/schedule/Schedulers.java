package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;
import java.util.Objects;

/** Creates schedulers by the names jobs and the CLI use ({@link SchedulerName}). */
public final class Schedulers {

    /** DPM-Solver++(2M) with Karras sigmas. */
    public static final String DPMPP_2M_KARRAS = "dpmpp_2m_karras";
    private Schedulers() {
    }

    /**
     * A scheduler of the given name with its timesteps set for {@code steps} steps; {@code noise} feeds the
     * stochastic ones (jobs pass the draws that follow the initial latents' draw: the ancestral sampler continues
     * that stream).
     *
     * @throws IllegalArgumentException for an unknown name (the message lists the valid ones) or bad steps
     */
    public static Scheduler create(String name, SchedulerConfig config, int steps, StepNoise noise) {
        Objects.requireNonNull(config, "config");
        SchedulerName known = SchedulerName.ofWireName(name).orElseThrow(() -> new IllegalArgumentException(
                "unknown scheduler '" + name + "'; valid schedulers are " + String.join(", ", SchedulerName.wireNames())));
        Scheduler scheduler = switch (known) {
            case EULER -> new EulerDiscreteScheduler(config);
            case DDIM -> new DdimScheduler(config);
            case EULER_ANCESTRAL -> new EulerAncestralScheduler(config, Objects.requireNonNull(noise, "noise"));
            case DPMPP_2M_KARRAS -> new DpmSolverMultistepKarrasScheduler(config);
        };
        scheduler.setTimesteps(steps);
        return scheduler;
    }
}
