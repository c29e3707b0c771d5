package io.photomaker.common.job;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The noise schedulers a job may name in {@code scheduler}, declared once: the gateway validates against this
 * list, the worker builds its schedulers from it, and the API document's enums are held to it by a test.
 */
public enum SchedulerName {
    /** Euler discrete, the default (what the PhotoMaker demos use). */
    EULER("euler"),
    /** Deterministic DDIM (what the PhotoMaker paper uses). */
    DDIM("ddim"),
    /** Ancestral Euler (stochastic). */
    EULER_ANCESTRAL("euler_a"),
    /** DPM-Solver++(2M) with Karras sigmas. */
    DPMPP_2M_KARRAS("dpmpp_2m_karras");

    /** The scheduler used when a job names none. */
    public static final SchedulerName DEFAULT = EULER;

    private static final List<String> WIRE_NAMES = Arrays.stream(values()).map(SchedulerName::wireName).toList();

    private final String wireName;

    SchedulerName(String wireName) {
        this.wireName = wireName;
    }

    /** The name jobs and the CLI use, e.g. {@code euler_a}. */
    public String wireName() {
        return wireName;
    }

    /** Every valid name, the default first. */
    public static List<String> wireNames() {
        return WIRE_NAMES;
    }

    /** The scheduler called {@code wireName}, if there is one. */
    public static Optional<SchedulerName> ofWireName(String wireName) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(wireName)).findFirst();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
