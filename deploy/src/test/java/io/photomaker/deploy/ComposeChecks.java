package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks on docker-compose.yml: referenced files exist, services are configured like their
 * Kubernetes twins (settings, drain, read-only models), the gpu profile really gets a GPU, and the
 * gateway and workers start only after the topic and bucket init jobs.
 */
final class ComposeChecks {

    static final String GPU_PROFILE = "gpu";
    static final String OBSERVABILITY_PROFILE = "observability";

    private ComposeChecks() {
    }

    /** env files, Dockerfiles and bind-mounted files exist (the user-supplied model directory aside). */
    static List<String> referencedFilesExist(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        for (ComposeFile.Service service : compose.services()) {
            String where = "compose service " + service.name();
            service.envFiles().stream().filter(f -> !Files.isRegularFile(RepoLayout.path(f)))
                    .forEach(f -> violations.add(where + ": env_file " + f + " does not exist"));
            service.dockerfile().filter(d -> !Files.isRegularFile(RepoLayout.path(d)))
                    .ifPresent(d -> violations.add(where + ": dockerfile " + d + " does not exist"));
            for (ComposeFile.Mount mount : service.mounts()) {
                boolean userSupplied = mount.target().equals(DockerfileChecks.MODELS_DIR);
                if (mount.isBindMount() && !userSupplied && !Files.exists(RepoLayout.path(mount.source()))) {
                    violations.add(where + ": mounts " + mount.source() + ", which does not exist");
                }
            }
            service.dependsOn().stream().filter(d -> compose.service(d).isEmpty())
                    .forEach(d -> violations.add(where + ": depends on unknown service " + d));
        }
        return violations;
    }

    /** Our services' settings pass the same environment checks as the Kubernetes containers. */
    static List<String> environments(ComposeFile compose, KnownEnvironment known) {
        List<String> violations = new ArrayList<>();
        for (ComposeFile.Service service : compose.services()) {
            ContainerEnvironment env = environmentOf(service);
            if (service.role() == Role.OTHER) {
                violations.addAll(EnvironmentChecks.unknownVariables(env, known));
            } else {
                violations.addAll(EnvironmentChecks.all(env, known));
            }
        }
        return violations;
    }

    /** Workers get stop_grace_period of at least PM_DRAIN_SECONDS plus margin, and read-only models. */
    static List<String> workersDrainAndReadModelsReadOnly(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        for (ComposeFile.Service worker : servicesOf(compose, Role.WORKER)) {
            ContainerEnvironment env = environmentOf(worker);
            int drain = ImageDefaults.effectiveInt(env, "PM_DRAIN_SECONDS").orElse(WorkloadChecks.DEFAULT_DRAIN_SECONDS);
            WorkloadChecks.drainViolation("compose service " + worker.name() + ": stop_grace_period",
                    worker.stopGraceSeconds(), drain).ifPresent(violations::add);
            String dir = ImageDefaults.effective(env, "PM_MODELS_DIR").orElse("");
            boolean readOnlyModels = worker.mounts().stream().anyMatch(m -> m.target().equals(dir) && m.readOnly());
            if (!readOnlyModels) {
                violations.add("compose service " + worker.name() + ": no read-only mount at PM_MODELS_DIR " + dir);
            }
        }
        return violations;
    }

    /** The default worker runs on CPU; the gpu profile adds a worker that reserves an NVIDIA GPU. */
    static List<String> gpuProfileReservesGpu(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        boolean gpuWorker = false;
        for (ComposeFile.Service worker : servicesOf(compose, Role.WORKER)) {
            String provider = ImageDefaults.effective(environmentOf(worker), "PM_EXECUTION_PROVIDER").orElse("auto");
            boolean reserves = reservesNvidiaGpu(worker.node());
            if (worker.profiles().isEmpty() && !provider.equals("cpu")) {
                violations.add("compose service " + worker.name() + ": the default worker must use the CPU provider");
            }
            if (worker.profiles().contains(GPU_PROFILE)) {
                gpuWorker = true;
                if (!reserves || provider.equals("cpu")) {
                    violations.add("compose service " + worker.name() + ": a gpu-profile worker must reserve an NVIDIA GPU"
                            + " and not run the CPU provider");
                }
            }
        }
        if (!gpuWorker) {
            violations.add("no worker service in the " + GPU_PROFILE + " profile");
        }
        return violations;
    }

    /** Gateway and workers start only after the topic and bucket one-shot jobs completed. */
    static List<String> servicesWaitForInitJobs(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        for (Role role : List.of(Role.GATEWAY, Role.WORKER)) {
            for (ComposeFile.Service service : servicesOf(compose, role)) {
                for (String script : List.of("create-topics.sh", "create-bucket.sh")) {
                    boolean waits = service.dependsOn().stream().anyMatch(dep -> compose.service(dep)
                            .map(init -> init.node().path("entrypoint").toString().contains(script)).orElse(false)
                            && "service_completed_successfully".equals(
                                    service.node().path("depends_on").path(dep).path("condition").asText()));
                    if (!waits) {
                        violations.add("compose service " + service.name() + ": does not wait for the job running " + script);
                    }
                }
            }
        }
        return violations;
    }

    static ContainerEnvironment environmentOf(ComposeFile.Service service) {
        return new ContainerEnvironment("compose service " + service.name(), service.role(), service.environment(),
                List.of());
    }

    static List<ComposeFile.Service> servicesOf(ComposeFile compose, Role role) {
        return compose.services().stream().filter(s -> s.role() == role).toList();
    }

    private static boolean reservesNvidiaGpu(JsonNode service) {
        for (JsonNode device : YamlDocs.at(service, "deploy", "resources", "reservations", "devices")) {
            boolean nvidia = "nvidia".equals(device.path("driver").asText());
            boolean gpu = device.path("capabilities").toString().contains("\"gpu\"");
            if (nvidia && gpu) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every published port binds to the loopback address (a service that may face other machines names its
     * address through a variable defaulting to 127.0.0.1), and no service publishes the gateway's management port.
     */
    static List<String> portsStayOnThisMachine(ComposeFile compose) {
        List<String> violations = new ArrayList<>();
        for (ComposeFile.Service service : compose.services()) {
            String management = service.role() == Role.GATEWAY
                    ? service.environment().getOrDefault("PM_MANAGEMENT_PORT", "9090") : null;
            for (JsonNode port : service.node().path("ports")) {
                String spec = ComposeFile.interpolate(port.isObject() ? port.path("host_ip").asText("") + ":"
                        + port.path("published").asText() + ":" + port.path("target").asText() : port.asText());
                String[] parts = spec.split(":");
                if (parts.length < 3 || !parts[0].equals("127.0.0.1")) {
                    violations.add("compose service " + service.name() + ": port " + port.asText()
                            + " is published on every interface");
                }
                if (management != null && parts[parts.length - 1].equals(management)) {
                    violations.add("compose service " + service.name() + ": publishes the management port "
                            + management);
                }
            }
        }
        return violations;
    }
}
