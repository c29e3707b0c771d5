package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks on the gateway and worker pods of rendered manifests: drain time, probes, the read-only
 * model directory and GPU placement.
 */
final class WorkloadChecks {

    /** Seconds the pod keeps after the drain for the last upload, event and offset commit. */
    static final int DRAIN_MARGIN_SECONDS = 10;
    /** The drain time the worker uses when nothing sets PM_DRAIN_SECONDS. */
    static final int DEFAULT_DRAIN_SECONDS = 120;
    static final String GPU_RESOURCE = "nvidia.com/gpu";
    private static final Map<String, String> PROBE_PATHS =
            Map.of("livenessProbe", "/healthz", "readinessProbe", "/readyz", "startupProbe", "/healthz");

    private WorkloadChecks() {
    }

    /** A worker must be able to finish its drain before Kubernetes kills it. */
    static List<String> drainFitsGracePeriod(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (ConfiguredContainer worker : manifests.mainContainers(Role.WORKER)) {
            int drain = worker.intSetting("PM_DRAIN_SECONDS").orElse(DEFAULT_DRAIN_SECONDS);
            drainViolation(worker.where() + ": terminationGracePeriodSeconds", worker.container()
                    .terminationGracePeriodSeconds(), drain).ifPresent(violations::add);
        }
        return violations;
    }

    /** A violation when the time before the kill does not cover the drain plus the margin. */
    static Optional<String> drainViolation(String what, int secondsBeforeKill, int drainSeconds) {
        return secondsBeforeKill >= drainSeconds + DRAIN_MARGIN_SECONDS ? Optional.empty()
                : Optional.of(what + " " + secondsBeforeKill + " s < PM_DRAIN_SECONDS " + drainSeconds
                        + " + " + DRAIN_MARGIN_SECONDS + " s margin");
    }

    /** Liveness/startup on /healthz, readiness on /readyz, on a declared port the process listens on. */
    static List<String> probesOnRealEndpoints(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (Role role : List.of(Role.GATEWAY, Role.WORKER)) {
            for (ConfiguredContainer container : manifests.mainContainers(role)) {
                Optional<Integer> listening = container.intSetting(role.managementPortVariable());
                PROBE_PATHS.forEach((kind, path) -> violations.addAll(checkProbe(container, kind, path, listening)));
            }
        }
        return violations;
    }

    private static List<String> checkProbe(ConfiguredContainer container, String kind, String path,
                                           Optional<Integer> listening) {
        JsonNode probe = container.container().container().path(kind);
        if (probe.isMissingNode()) {
            return kind.equals("startupProbe") ? List.of() : List.of(container.where() + ": no " + kind);
        }
        JsonNode get = probe.path("httpGet");
        List<String> violations = new ArrayList<>();
        if (!path.equals(get.path("path").asText())) {
            violations.add(container.where() + ": " + kind + " must GET " + path + ", not '"
                    + get.path("path").asText() + "'");
        }
        Optional<Integer> port = container.container().resolvePort(get.path("port"));
        if (port.isEmpty()) {
            violations.add(container.where() + ": " + kind + " port " + get.path("port") + " is not a containerPort");
        } else if (listening.isPresent() && !port.equals(listening)) {
            violations.add(container.where() + ": " + kind + " probes port " + port.get()
                    + " but the process listens on " + listening.get() + " (" + container.role().managementPortVariable() + ")");
        }
        return violations;
    }

    /** Workers read models from PM_MODELS_DIR, mounted read-only from a defined volume (and PVC). */
    static List<String> modelsMountedReadOnly(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (ConfiguredContainer worker : manifests.mainContainers(Role.WORKER)) {
            String dir = worker.setting("PM_MODELS_DIR").orElse("");
            JsonNode container = worker.container().container();
            Optional<JsonNode> mount = find(container.path("volumeMounts"), "mountPath", dir);
            if (mount.isEmpty()) {
                violations.add(worker.where() + ": nothing is mounted at PM_MODELS_DIR '" + dir + "'");
                continue;
            }
            if (!mount.get().path("readOnly").asBoolean(false)) {
                violations.add(worker.where() + ": the model directory " + dir + " is not mounted readOnly");
            }
            String volumeName = mount.get().path("name").asText();
            Optional<JsonNode> volume = find(worker.container().podSpec().path("volumes"), "name", volumeName);
            if (volume.isEmpty()) {
                violations.add(worker.where() + ": volume " + volumeName + " is not defined");
            } else if (volume.get().has("persistentVolumeClaim")) {
                String claim = YamlDocs.text(volume.get(), "persistentVolumeClaim", "claimName");
                if (manifests.find("PersistentVolumeClaim", claim).isEmpty()) {
                    violations.add(worker.where() + ": PersistentVolumeClaim " + claim + " is not defined");
                }
            }
        }
        return violations;
    }

    /**
     * A worker requests exactly one GPU and tolerates GPU nodes unless it runs the CPU provider; a CPU
     * worker neither requests nor seeks GPUs.
     */
    static List<String> gpuPlacementMatchesProvider(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (ConfiguredContainer worker : manifests.mainContainers(Role.WORKER)) {
            String provider = worker.setting("PM_EXECUTION_PROVIDER").orElse("auto");
            JsonNode resources = worker.container().container().path("resources");
            JsonNode pod = worker.container().podSpec();
            String requested = resources.path("requests").path(GPU_RESOURCE).asText("");
            String limited = resources.path("limits").path(GPU_RESOURCE).asText("");
            boolean tolerates = pod.path("tolerations").toString().contains(GPU_RESOURCE);
            boolean seeksGpuNodes = tolerates || pod.path("nodeSelector").toString().contains("nvidia.com");
            if (provider.equals("cpu")) {
                if (!requested.isEmpty() || !limited.isEmpty() || seeksGpuNodes) {
                    violations.add(worker.where() + ": runs the CPU provider but requests or seeks GPU nodes");
                }
                continue;
            }
            if (!requested.equals("1") || !limited.equals("1")) {
                violations.add(worker.where() + ": provider " + provider + " needs " + GPU_RESOURCE
                        + " request and limit of 1, found '" + requested + "'/'" + limited + "'");
            }
            if (!tolerates) {
                violations.add(worker.where() + ": GPU worker does not tolerate the " + GPU_RESOURCE + " taint");
            }
        }
        return violations;
    }

    private static Optional<JsonNode> find(JsonNode list, String field, String value) {
        for (JsonNode item : list) {
            if (value.equals(item.path(field).asText())) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
}
