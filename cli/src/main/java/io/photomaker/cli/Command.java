package io.photomaker.cli;

/** One launcher subcommand. */
public interface Command {
    String name();

    /** One line for the usage listing. */
    String summary();

    /** Runs the command; returns the process exit code. */
    int run(Args args) throws Exception;

    /** Options that take no value. */
    default java.util.Set<String> flags() {
        return java.util.Set.of();
    }

    /** Options that take a value; any option that is neither one of these nor a flag is a usage error. */
    java.util.Set<String> options();
}
