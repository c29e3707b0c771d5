package io.photomaker.gateway;

import io.photomaker.common.config.Settings;
import io.photomaker.common.process.ServiceRunner;
import io.photomaker.gateway.settings.GatewaySettings;
import java.util.Map;

/**
 * Entry point of the gateway artifact (and image): one gateway process configured by PM_* environment
 * variables, running until SIGTERM. Prints {@code PM_GATEWAY_URL=...} and {@code PM_GATEWAY_MANAGEMENT_URL=...}
 * (readiness and metrics) once the HTTP servers listen.
 */
public final class GatewayMain {
    private GatewayMain() {
    }

    public static void main(String[] args) {
        ServiceRunner.configureLogging();
        if (args.length > 0) {
            System.err.println("usage: photomaker-gateway (no arguments; configure with PM_* environment variables,"
                    + " see gateway/README.md)");
            System.exit(args[0].equals("--help") || args[0].equals("-h") ? 0 : 2);
        }
        try {
            serve(Settings.fromEnvironment(Map.of()));
        } catch (Exception | Error e) {
            System.err.println("photomaker gateway: " + e);
            System.exit(1);
        }
    }

    /** Starts a gateway with {@code settings}, prints its URL and keeps it up until the JVM is asked to stop. */
    public static void serve(Settings settings) throws Exception {
        GatewayProcess gateway = GatewayProcess.start(settings);
        String host = settings.string(GatewaySettings.HTTP_HOST);
        System.out.println("PM_GATEWAY_URL=http://" + host + ":" + gateway.port());
        System.out.println("PM_GATEWAY_MANAGEMENT_URL=http://" + host + ":" + gateway.managementPort());
        System.out.flush();
        ServiceRunner.runUntilStopped(gateway);
    }
}
