package io.photomaker.worker;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.common.process.ServiceRunner;
import io.photomaker.worker.settings.WorkerSettings;
import java.nio.file.Path;
import java.util.Map;

/**
 * Entry point of the worker artifact (and image): one worker process configured by PM_* environment
 * variables, with models from {@code PM_MODELS_DIR}, running until SIGTERM (which drains the job in
 * hand). Prints {@code worker ready} once it has joined the worker group.
 */
public final class WorkerMain {
    private WorkerMain() {
    }

    public static void main(String[] args) {
        ServiceRunner.configureLogging();
        if (args.length > 0) {
            System.err.println("usage: photomaker-worker (no arguments; configure with PM_* environment variables,"
                    + " PM_MODELS_DIR naming an exported model directory)");
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
        }
        try {
            Settings settings = Settings.fromEnvironment(Map.of());
            serve(settings, modelsDir(settings));
        } catch (Exception | Error e) {
            System.err.println("photomaker worker: " + e);
            System.exit(1);
        }
    }

    /** The exported model directory PM_MODELS_DIR names. */
    public static Path modelsDir(Settings settings) {
        return settings.optional(WorkerSettings.MODELS_DIR).map(Path::of).orElseThrow(() -> new ConfigException(
                "PM_MODELS_DIR is not set: name an exported model directory (see deploy/export/README.md)"));
    }

    /**
     * Starts a worker with {@code settings} and the models in {@code models}, keeps it up until the JVM is
     * asked to stop, and exits with 1 if the worker loop dies on its own.
     */
    public static void serve(Settings settings, Path models) throws InterruptedException {
        WorkerProcess worker = WorkerProcess.start(settings, models);
        System.out.println("worker ready");
        System.out.flush();
        ServiceRunner.runUntilStopped(worker, () -> worker.worker().loop().isRunning());
    }
}
