package io.photomaker.cli;

import io.photomaker.common.config.CommonSettings;
import io.photomaker.common.config.SettingRegistry;
import io.photomaker.gateway.settings.GatewaySettings;
import io.photomaker.worker.settings.WorkerSettings;
import java.util.List;

/**
 * Every PM_* setting of the system: the declarations of common, the gateway and the worker, joined (a name
 * declared twice fails here). The configuration reference and the deployment checks read this list.
 */
public final class SystemSettings {
    /** Each component's declarations, in reference order. */
    public static final List<SettingRegistry> COMPONENTS = List.of(CommonSettings.REGISTRY, GatewaySettings.REGISTRY,
            WorkerSettings.REGISTRY);
    /** All of them in one registry. */
    public static final SettingRegistry ALL = SettingRegistry.of("all", COMPONENTS);

    private SystemSettings() {
    }
}
