package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ImagesTest {

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void kubernetes_runs_our_images_from_existing_dockerfiles_with_release_tags(String rendering) {
        assertNone(ImageChecks.check(ImageChecks.usesIn(Violations.rendered(rendering)), true));
    }

    @Test
    void compose_builds_and_runs_our_images_from_their_dockerfiles() {
        ComposeFile compose = ComposeFile.load();
        assertNone(ImageChecks.check(ImageChecks.usesIn(compose), false));
        assertNone(ImageChecks.builtImagesAreOurs(compose));
    }

    @Test
    void image_references_split_into_repository_and_tag() {
        assertEquals(new ImageRef("registry:5000/acme/photomaker/worker", "1.2"),
                ImageRef.parse("registry:5000/acme/photomaker/worker:1.2"));
        assertEquals(Optional.of("worker"), ImageRef.parse("registry:5000/acme/photomaker/worker:1.2").ownComponent());
        assertEquals(Optional.empty(), ImageRef.parse("notphotomaker/worker:1").ownComponent());
        assertEquals(new ImageRef("busybox", ""), ImageRef.parse("busybox@sha256:abc"));
    }

    @Test
    void an_image_without_a_dockerfile_is_rejected() {
        assertFlags(ImageChecks.check(ImageChecks.usesIn(
                Fixtures.with("image: photomaker/gateway:0.1.0", "image: photomaker/scheduler:0.1.0")), true),
                "deploy/docker/Dockerfile.scheduler does not exist");
    }

    @Test
    void our_image_given_a_launcher_subcommand_is_rejected() {
        String image = "image: photomaker/gateway:0.1.0";
        String line = Fixtures.all().lines().filter(l -> l.strip().equals(image)).findFirst().orElseThrow();
        String indent = line.substring(0, line.indexOf(image));
        assertFlags(ImageChecks.check(ImageChecks.usesIn(Fixtures.with(line,
                line + "\n" + indent + "args: [\"worker\"]")), true), "takes no arguments, was given 'worker'");
    }

    @Test
    void a_floating_tag_on_kubernetes_is_rejected() {
        assertFlags(ImageChecks.check(ImageChecks.usesIn(
                Fixtures.with("image: photomaker/worker:0.1.0", "image: photomaker/worker:latest")), true),
                "needs a release tag");
    }

    @Test
    void an_unpinned_third_party_image_is_rejected() {
        assertFlags(ImageChecks.check(List.of(new ImageChecks.Use("sidecar", ImageRef.parse("busybox"), "",
                Optional.empty())), false), "is not pinned");
    }

    @Test
    void compose_building_the_worker_dockerfile_into_the_gateway_image_is_rejected() {
        ComposeFile broken = ComposeFile.parse("""
                services:
                  gateway:
                    image: photomaker/gateway:latest
                    build: {context: ., dockerfile: deploy/docker/Dockerfile.worker}
                """);
        assertFlags(ImageChecks.check(ImageChecks.usesIn(broken), false), "expected deploy/docker/Dockerfile.gateway");
    }
}
