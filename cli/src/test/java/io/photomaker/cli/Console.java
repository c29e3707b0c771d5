package io.photomaker.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the command line in this JVM with stdout and stderr captured; {@code generate --tiny} builds the tiny
 * models, as the development launcher's does.
 */
final class Console {

    /** What one launcher run printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private Console() {
    }

    static synchronized Run run(String... argv) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        var capturedOut = new ByteArrayOutputStream();
        var capturedErr = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(capturedOut, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(capturedErr, true, StandardCharsets.UTF_8));
            CommandSet commands = Main.commands()
                    .add(new GenerateCommand(dir -> io.photomaker.testkit.models.TinyModelBuilder.create().build(dir)));
            int code = Main.run(commands, argv);
            return new Run(code, capturedOut.toString(StandardCharsets.UTF_8), capturedErr.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
