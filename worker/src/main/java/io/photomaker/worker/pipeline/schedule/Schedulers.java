package io.photomaker.worker.pipeline.schedule;

import java.util.List;
import java.util.Objects;

/** Creates schedulers by the names jobs and the CLI use. */
public final class Schedulers {

    /** Euler discrete, the default (what the PhotoMaker demos use). */
    public static final String EULER = "euler";
    /** Deterministic DDIM (what the PhotoMaker paper uses). */
    public static final String DDIM = "ddim";
    /** Ancestral Euler (stochastic). */
    public static final String EULER_ANCESTRAL = "euler_a";
    /** DPM-Solver++(2M) with Karras sigmas. */
    public static final String DPMPP_2M_KARRAS = "dpmpp_2m_karras";
    /** Every valid name, the default first. */
    public static final List<String> NAMES = List.of(EULER, DDIM, EULER_ANCESTRAL, DPMPP_2M_KARRAS);
    /** The scheduler used when a job names none. */
    public static final String DEFAULT = EULER;

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
        Scheduler scheduler = switch (name == null ? "" : name) {
            case EULER -> new EulerDiscreteScheduler(config);
            case DDIM -> new DdimScheduler(config);
            case EULER_ANCESTRAL -> new EulerAncestralScheduler(config, Objects.requireNonNull(noise, "noise"));
            case DPMPP_2M_KARRAS -> new DpmSolverMultistepKarrasScheduler(config);
            default -> throw new IllegalArgumentException(
                    "unknown scheduler '" + name + "'; valid schedulers are " + String.join(", ", NAMES));
        };
        scheduler.setTimesteps(steps);
        return scheduler;
    }
}
