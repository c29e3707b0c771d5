package io.photomaker.cli;

import io.photomaker.common.process.ServiceRunner;
import java.util.Arrays;

/**
 * The {@code photomaker} command line: API client commands and one-service-per-process commands.
 * Dispatches to one subcommand and turns usage errors into exit code 2. The development launcher
 * (devtools) offers these commands plus its own.
 */
public final class Main {
    private Main() {
    }

    /** The commands of this module; a new command is one more line here. */
    public static CommandSet commands() {
        return new CommandSet()
                .addAll(ServiceCommands.all())
                .addAll(ClientCommands.all())
                .add(new GenerateCommand(null))
                .add(new TokenizeCommand())
                .add(new FacesCommand(null));
    }

    public static void main(String[] argv) {
        ServiceRunner.configureLogging();
        System.exit(run(commands(), argv));
    }

    /** Runs the subcommand {@code argv[0]} of {@code commands}; returns the process exit code. */
    public static int run(CommandSet commands, String[] argv) {
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            usage(commands);
            return argv.length == 0 ? 2 : 0;
        }
        Command c = commands.get(argv[0]).orElse(null);
        if (c == null) {
            System.err.println("photomaker: unknown command '" + argv[0] + "'");
            usage(commands);
            return 2;
        }
        try {
            return c.run(Args.parse(Arrays.asList(argv).subList(1, argv.length), c.flags(), c.options()));
        } catch (Args.UsageException e) {
            System.err.println("photomaker " + c.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception | Error e) {
            System.err.println("photomaker " + c.name() + ": " + e);
            if (System.getenv("PHOTOMAKER_DEBUG") != null) {
                e.printStackTrace();
            }
            return 1;
        }
    }

    private static void usage(CommandSet commands) {
        System.err.println("usage: ./photomaker <command> [options]");
        commands.all().forEach(c -> System.err.printf("  %-9s %s%n", c.name(), c.summary()));
    }
}
