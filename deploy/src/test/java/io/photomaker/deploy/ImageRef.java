package io.photomaker.deploy;

import java.util.Optional;

/**
 * A container image reference split into repository and tag.
 *
 * @param repository registry and path without tag or digest, e.g. {@code ghcr.io/acme/photomaker/worker}
 * @param tag the tag, or "" when the reference has none (or only a digest)
 */
record ImageRef(String repository, String tag) {

    private static final String OWN_PREFIX = "photomaker/";

    static ImageRef parse(String image) {
        String withoutDigest = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = withoutDigest.lastIndexOf('/');
        int colon = withoutDigest.lastIndexOf(':');
        if (colon > slash) {
            return new ImageRef(withoutDigest.substring(0, colon), withoutDigest.substring(colon + 1));
        }
        return new ImageRef(withoutDigest, "");
    }

    /** "gateway" for {@code [registry/]photomaker/gateway}, empty for third-party images. */
    Optional<String> ownComponent() {
        int at = repository.lastIndexOf(OWN_PREFIX);
        boolean own = at == 0 || (at > 0 && repository.charAt(at - 1) == '/');
        if (!own) {
            return Optional.empty();
        }
        String rest = repository.substring(at + OWN_PREFIX.length());
        return rest.isEmpty() || rest.contains("/") ? Optional.empty() : Optional.of(rest);
    }

    /** The repository name as kustomize's images transformer matches it. */
    boolean matchesName(String name) {
        return repository.equals(name);
    }
}
