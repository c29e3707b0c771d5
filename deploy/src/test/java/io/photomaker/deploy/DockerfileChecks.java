package io.photomaker.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks on deploy/docker/Dockerfile.gateway and Dockerfile.worker: a Maven build stage, the right
 * runtime base, a non-root user, a health check on /healthz of the exposed port, the role's own
 * artifact (jar + lib/, built by {@code mvn -pl <module> -am}) started by its main class, and a build
 * context that keeps what the build needs.
 */
final class DockerfileChecks {

    static final String BUILD_IMAGE = "maven:3.9-eclipse-temurin-17";
    static final String JRE_IMAGE = "eclipse-temurin:17-jre";
    static final Pattern CUDA_RUNTIME = Pattern.compile("nvidia/cuda:12\\.[0-9.]+-cudnn[0-9]*-runtime-[a-z0-9.]+");
    static final String MODELS_DIR = "/models";

    private DockerfileChecks() {
    }

    static List<String> all(Role role, Dockerfile file, DockerIgnore ignore, KnownEnvironment known) {
        List<String> violations = new ArrayList<>();
        violations.addAll(buildsTheArtifact(role, file));
        violations.addAll(runtimeBase(role, file));
        violations.addAll(runsAsNonRoot(file));
        violations.addAll(healthCheckOnExposedPort(role, file));
        violations.addAll(startsTheArtifact(role, file));
        violations.addAll(environment(role, file, known));
        violations.addAll(contextFilesAreSent(file, ignore));
        if (role == Role.WORKER) {
            violations.addAll(expectsModelsAtSlashModels(file));
        }
        return violations;
    }

    /**
     * A maven:3.9-eclipse-temurin-17 stage packages the role's module (with -Pgpu for the worker), the
     * final stage copies its jar and lib/ and nothing of another module.
     */
    static List<String> buildsTheArtifact(Role role, Dockerfile file) {
        Optional<Dockerfile.Stage> build = file.stages().stream()
                .filter(s -> file.baseImage(s).equals(BUILD_IMAGE)).findFirst();
        if (build.isEmpty()) {
            return List.of(role.component() + ": no " + BUILD_IMAGE + " build stage");
        }
        List<String> violations = new ArrayList<>();
        Map<String, String> args = build.get().args(file.globalArgs());
        List<String> mvn = build.get().all("RUN").stream()
                .map(run -> Dockerfile.substitute(run, args)).filter(run -> run.contains("mvn ")).toList();
        String module = "-pl " + role.component() + " ";
        if (mvn.stream().noneMatch(run -> run.contains(module) && run.contains("package"))) {
            violations.add(role.component() + ": the build stage does not run `mvn ... " + module + "... package`");
        }
        if (role == Role.WORKER && mvn.stream().noneMatch(run -> run.matches(".*\\s-Pgpu(\\s.*|$)"))) {
            violations.add("worker: the build does not use the gpu profile (-Pgpu) by default");
        }
        List<String> copies = file.finalStage().all("COPY");
        for (String artifact : List.of(role.artifactJar(), role.artifactLib())) {
            boolean copied = copies.stream().anyMatch(c -> c.contains("--from=" + build.get().name()) && c.contains(artifact));
            if (!copied) {
                violations.add(role.component() + ": the final stage does not copy " + artifact + " from the build stage");
            }
        }
        return violations;
    }

    static List<String> runtimeBase(Role role, Dockerfile file) {
        String base = file.baseImage(file.finalStage());
        if (role == Role.GATEWAY && !base.equals(JRE_IMAGE)) {
            return List.of("gateway: runtime base is " + base + ", expected " + JRE_IMAGE);
        }
        if (role == Role.WORKER) {
            if (!CUDA_RUNTIME.matcher(base).matches()) {
                return List.of("worker: runtime base " + base + " is not an NVIDIA CUDA 12 cuDNN runtime image");
            }
            boolean hasJava = file.finalStage().all("COPY").stream().anyMatch(c -> c.contains("/opt/java/openjdk"));
            if (!hasJava) {
                return List.of("worker: the CUDA runtime base has no Java and the final stage copies none in");
            }
        }
        return List.of();
    }

    static List<String> runsAsNonRoot(Dockerfile file) {
        String user = file.finalStage().last("USER").orElse("root").split(":")[0].strip();
        return user.equals("root") || user.equals("0") ? List.of("the final stage runs as root") : List.of();
    }

    static List<String> healthCheckOnExposedPort(Role role, Dockerfile file) {
        Dockerfile.Stage stage = file.finalStage();
        Optional<String> check = stage.last("HEALTHCHECK");
        if (check.isEmpty() || check.get().strip().equals("NONE")) {
            return List.of(role.component() + ": no HEALTHCHECK");
        }
        List<String> violations = new ArrayList<>();
        String command = Dockerfile.substitute(check.get(), stage.env());
        if (!command.contains("/healthz")) {
            violations.add(role.component() + ": HEALTHCHECK does not probe /healthz");
        }
        String port = stage.env().getOrDefault(role.portVariable(), "");
        if (port.isEmpty() || !command.matches(".*\\b" + port + "\\b.*")) {
            violations.add(role.component() + ": HEALTHCHECK does not use " + role.portVariable() + " (" + port + ")");
        }
        if (port.isEmpty() || !stage.exposedPorts().contains(Integer.parseInt(port))) {
            violations.add(role.component() + ": EXPOSE " + stage.exposedPorts() + " lacks " + role.portVariable()
                    + " " + port);
        }
        return violations;
    }

    /** The exec-form ENTRYPOINT starts the role's main class on its own jar; no CMD adds arguments. */
    static List<String> startsTheArtifact(Role role, Dockerfile file) {
        List<String> violations = new ArrayList<>();
        List<String> entry = file.finalStage().execForm("ENTRYPOINT");
        if (!entry.contains(role.mainClass())) {
            violations.add(role.component() + ": ENTRYPOINT (exec form) does not start " + role.mainClass());
        }
        String jar = Path.of(role.artifactJar()).getFileName().toString();
        if (entry.stream().noneMatch(word -> word.contains(jar))) {
            violations.add(role.component() + ": ENTRYPOINT does not run " + jar);
        }
        if (!file.finalStage().execForm("CMD").isEmpty()) {
            violations.add(role.component() + ": CMD " + file.finalStage().execForm("CMD")
                    + " passes arguments the main class does not take");
        }
        return violations;
    }

    static List<String> environment(Role role, Dockerfile file, KnownEnvironment known) {
        ContainerEnvironment env = new ContainerEnvironment("Dockerfile." + role.component() + " ENV", role,
                file.finalStage().env(), List.of());
        List<String> violations = new ArrayList<>(EnvironmentChecks.unknownVariables(env, known));
        violations.addAll(EnvironmentChecks.malformedValues(env, known));
        return violations;
    }

    static List<String> expectsModelsAtSlashModels(Dockerfile file) {
        List<String> violations = new ArrayList<>();
        if (!MODELS_DIR.equals(file.finalStage().env().get("PM_MODELS_DIR"))) {
            violations.add("worker: ENV PM_MODELS_DIR is not " + MODELS_DIR);
        }
        if (file.finalStage().all("VOLUME").stream().anyMatch(v -> v.contains(MODELS_DIR))) {
            violations.add("worker: VOLUME " + MODELS_DIR + " would create a writable anonymous volume");
        }
        return violations;
    }

    /** Files COPYed from the context exist and are not left out by .dockerignore. */
    static List<String> contextFilesAreSent(Dockerfile file, DockerIgnore ignore) {
        List<String> violations = new ArrayList<>();
        for (Dockerfile.Stage stage : file.stages()) {
            for (String copy : stage.all("COPY")) {
                List<String> words = Dockerfile.words(copy).stream().filter(w -> !w.startsWith("--")).toList();
                if (copy.contains("--from=") || words.size() < 2) {
                    continue;
                }
                for (String source : words.subList(0, words.size() - 1)) {
                    if (source.equals(".")) {
                        continue;
                    }
                    if (!Files.exists(RepoLayout.path(source))) {
                        violations.add("COPY source " + source + " does not exist");
                    } else if (ignore.excludes(source)) {
                        violations.add("COPY source " + source + " is excluded by .dockerignore");
                    }
                }
            }
        }
        return violations;
    }

    /** The Maven reactor (every module's pom and sources) reaches the build; weights and outputs do not. */
    static List<String> contextKeepsSources(DockerIgnore ignore) {
        List<String> violations = new ArrayList<>();
        List<String> needed = new ArrayList<>(List.of("pom.xml"));
        for (String module : List.of("common", "testkit", "worker", "gateway", "cli", "devtools", "deploy")) {
            needed.add(module + "/pom.xml");
            needed.add(module + "/src/main/java/Example.java");
        }
        needed.stream().filter(ignore::excludes).forEach(p -> violations.add(".dockerignore excludes " + p));
        List.of("models/unet/model.onnx", "gateway/target/photomaker-gateway.jar", ".git/HEAD").stream()
                .filter(p -> !ignore.excludes(p)).forEach(p -> violations.add(".dockerignore lets " + p + " in"));
        return violations;
    }
}
