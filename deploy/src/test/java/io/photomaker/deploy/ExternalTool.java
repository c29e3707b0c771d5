package io.photomaker.deploy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs an optional command-line tool (kubectl, promtool, docker compose, python3) when this machine
 * has it; tests that need one skip cleanly where it is missing.
 */
final class ExternalTool {

    /**
     * What a run produced.
     *
     * @param exitCode process exit status
     * @param output stdout and stderr together
     */
    record Result(int exitCode, String output) {
    }

    private ExternalTool() {
    }

    /** The executable: an override from the environment variable, else the first match on PATH. */
    static Optional<Path> find(String name, String overrideVariable) {
        String override = System.getenv(overrideVariable);
        if (override != null && !override.isBlank()) {
            return Optional.of(Path.of(override)).filter(Files::isExecutable);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs in the repository root; fails the test on a timeout rather than hanging the build. */
    static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tool", ".log");
        try {
            Process process = new ProcessBuilder(new ArrayList<>(command))
                    .directory(RepoLayout.ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
