package io.photomaker.devtools.bench.state;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LocalStores;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The gateway side of the state benchmark: a whole gateway process from PM_* settings, in a JVM of its own so
 * its heap and its Kafka reads are its own. It announces itself with {@code ready port=... management=...} and
 * answers {@link SideCommands} plus {@code owned} (job partitions this gateway owns) and {@code lag} (records its
 * store copies are behind).
 */
public final class StateBenchSide {
    private StateBenchSide() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment(Map.of());
        try (GatewayProcess gw = GatewayProcess.start(settings)) {
            SideCommands.reply("ready port=" + gw.port() + " management=" + gw.managementPort());
            JobStateProcessor processor = gw.gateway().services().processor();
            SideCommands.serve(Map.of("owned", () -> owned(processor.stores()),
                    "lag", () -> Long.toString(processor.storeLag())));
        }
        System.exit(0);
    }

    private static String owned(LocalStores stores) {
        List<Integer> mine = new ArrayList<>();
        stores.holders().forEach((p, h) -> {
            if (h.active() != null && stores.isSelf(h.active())) {
                mine.add(p);
            }
        });
        return mine.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
