package io.photomaker.devtools;

import io.photomaker.cli.CommandSet;
import io.photomaker.cli.FacesCommand;
import io.photomaker.cli.GenerateCommand;
import io.photomaker.cli.Main;
import io.photomaker.cli.ServiceCommands;
import io.photomaker.common.process.ServiceRunner;
import io.photomaker.devtools.bench.BenchCommand;
import io.photomaker.devtools.chaos.ChaosCommand;
import io.photomaker.testkit.models.TinyModelBuilder;

/**
 * The {@code ./photomaker} launcher: every command of the command line plus the development ones
 * (dev, demo, infra, bench, chaos), and {@code worker --tiny} and {@code faces --tiny} on the bundled tiny models.
 */
public final class Launcher {
    private Launcher() {
    }

    /** All commands, in listing order. */
    public static CommandSet commands() {
        return new CommandSet()
                .addAll(DevCommand.all())
                .add(new InfraCommand())
                .addAll(Main.commands().all())
                .add(ServiceCommands.worker(dir -> TinyModelBuilder.create().build(dir)))
                .add(new GenerateCommand(dir -> TinyModelBuilder.create().build(dir)))
                .add(new FacesCommand(dir -> TinyModelBuilder.create().photomakerVersion("v2").build(dir)))
                .add(new BenchCommand())
                .add(new ChaosCommand());
    }

    public static void main(String[] argv) {
        ServiceRunner.configureLogging();
        System.exit(Main.run(commands(), argv));
    }
}
