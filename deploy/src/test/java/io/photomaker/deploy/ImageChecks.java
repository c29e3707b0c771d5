package io.photomaker.deploy;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks on the images that manifests and the compose file run: ours must be built by an existing
 * deploy/docker/Dockerfile.&lt;component&gt; and are given no arguments (each runs one process, configured
 * by its environment); third-party images are pinned.
 */
final class ImageChecks {

    /**
     * One place an image is used.
     *
     * @param where location for messages
     * @param image the image reference
     * @param argument the first argument given to the image's entry point, "" when none
     * @param dockerfile the Dockerfile compose builds it with, if any
     */
    record Use(String where, ImageRef image, String argument, Optional<String> dockerfile) {
    }

    private ImageChecks() {
    }

    static List<Use> usesIn(Manifests manifests) {
        return manifests.containers().stream()
                .map(c -> new Use(manifests + " " + c.where(), c.image(), c.firstArgument(), Optional.empty()))
                .toList();
    }

    static List<Use> usesIn(ComposeFile compose) {
        return compose.services().stream()
                .map(s -> new Use("compose service " + s.name(), s.image(),
                        s.node().path("command").path(0).asText(""), s.dockerfile()))
                .toList();
    }

    /**
     * @param releaseTags whether our images must carry a release tag (Kubernetes) rather than a local
     *                    build tag such as latest (compose builds them itself)
     */
    static List<String> check(List<Use> uses, boolean releaseTags) {
        List<String> violations = new ArrayList<>();
        for (Use use : uses) {
            Optional<String> component = use.image().ownComponent();
            if (component.isEmpty()) {
                if (use.image().tag().isEmpty() || use.image().tag().equals("latest")) {
                    violations.add(use.where() + ": third-party image " + use.image().repository() + " is not pinned to a tag");
                }
                continue;
            }
            String expectedDockerfile = ImageDefaults.DOCKER_DIR + "/Dockerfile." + component.get();
            if (!Files.isRegularFile(ImageDefaults.dockerfile(component.get()))) {
                violations.add(use.where() + ": image " + use.image().repository() + " but " + expectedDockerfile
                        + " does not exist");
            }
            if (!use.argument().isEmpty()) {
                violations.add(use.where() + ": image " + use.image().repository() + " takes no arguments, was given '"
                        + use.argument() + "'");
            }
            use.dockerfile().filter(d -> !d.equals(expectedDockerfile)).ifPresent(d -> violations.add(
                    use.where() + ": builds " + use.image().repository() + " from " + d + ", expected " + expectedDockerfile));
            if (releaseTags && (use.image().tag().isEmpty() || use.image().tag().equals("latest"))) {
                violations.add(use.where() + ": " + use.image().repository() + " needs a release tag, not '"
                        + use.image().tag() + "'");
            }
        }
        return violations;
    }

    /** Compose services that build an image must name one of ours. */
    static List<String> builtImagesAreOurs(ComposeFile compose) {
        return compose.services().stream()
                .filter(s -> s.dockerfile().isPresent() && s.image().ownComponent().isEmpty())
                .map(s -> "compose service " + s.name() + " builds " + s.dockerfile().get() + " into "
                        + s.image().repository() + ", not a photomaker/<component> image")
                .toList();
    }
}
