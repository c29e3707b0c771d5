package io.photomaker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Where the deployment files live: paths relative to the repository root (the deploy module's parent). */
final class RepoLayout {

    static final Path ROOT = locateRoot();
    static final String K8S = "deploy/k8s";

    private RepoLayout() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static String relative(Path file) {
        return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
    }

    /** The kustomize base and every overlay directory, as paths relative to the root. */
    static List<String> kustomizeRenderings() {
        try (Stream<Path> overlays = Files.list(path(K8S + "/overlays"))) {
            Stream<String> names = overlays.filter(Files::isDirectory)
                    .map(RepoLayout::relative)
                    .sorted();
            return Stream.concat(Stream.of(K8S + "/base"), names).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every YAML file under deploy/ plus the compose file. */
    static List<Path> yamlFiles() {
        try (Stream<Path> files = Files.walk(path("deploy"))) {
            Stream<Path> yaml = files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !p.toString().contains("/target/"));
            return Stream.concat(yaml, Stream.of(path("docker-compose.yml"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Path locateRoot() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("docker-compose.yml")) && Files.isDirectory(dir.resolve(K8S))) {
                return dir;
            }
        }
        throw new IllegalStateException("repository root (docker-compose.yml + deploy/k8s) not found above " + start);
    }
}
