package io.photomaker.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code photomaker} launcher: dispatches to one subcommand and turns usage errors into exit code 2. */
public final class Main {
    private Main() {
    }

    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : all()) {
            m.put(c.name(), c);
        }
        return m;
    }

    private static List<Command> all() {
        List<Command> all = new java.util.ArrayList<>();
        all.addAll(DevCommand.all());
        all.add(new InfraCommand());
        all.addAll(ServiceCommands.all());
        all.addAll(ClientCommands.all());
        all.add(new GenerateCommand());
        all.add(new TokenizeCommand());
        all.add(new BenchCommand());
        all.add(new ChaosCommand());
        return all;
    }

    public static void main(String[] argv) {
        if ("json".equalsIgnoreCase(System.getenv("PM_LOG_FORMAT"))
                && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "logback-json.xml");
        }
        System.exit(run(argv));
    }

    static int run(String[] argv) {
        Map<String, Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("help") || argv[0].equals("--help") || argv[0].equals("-h")) {
            usage(commands);
            return argv.length == 0 ? 2 : 0;
        }
        Command c = commands.get(argv[0]);
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

    private static void usage(Map<String, Command> commands) {
        System.err.println("usage: ./photomaker <command> [options]");
        commands.values().forEach(c -> System.err.printf("  %-9s %s%n", c.name(), c.summary()));
    }
}
