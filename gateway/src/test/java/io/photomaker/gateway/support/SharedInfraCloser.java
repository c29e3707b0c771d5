package io.photomaker.gateway.support;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/** Stops the shared embedded Kafka, S3 and state processor once all tests of the JVM have run. */
public final class SharedInfraCloser implements LauncherSessionListener {
    @Override
    public void launcherSessionClosed(LauncherSession session) {
        SharedInfra.stopIfStarted();
    }
}
