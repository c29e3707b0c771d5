package io.photomaker.common.config;

import java.net.URI;
import java.util.Optional;

/**
 * How to reach the object store holding ID photos, outputs and archives.
 *
 * @param endpoint S3 API endpoint, empty for AWS's default endpoint (PM_S3_ENDPOINT)
 * @param region signing region (PM_S3_REGION)
 * @param bucket bucket for all objects (PM_S3_BUCKET)
 * @param accessKey static access key, empty to use the default AWS credential chain (PM_S3_ACCESS_KEY)
 * @param secretKey static secret key (PM_S3_SECRET_KEY)
 * @param pathStyle path-style addressing, needed by MinIO and S3Proxy (PM_S3_PATH_STYLE)
 */
public record S3Settings(Optional<URI> endpoint, String region, String bucket, String accessKey,
                         String secretKey, boolean pathStyle) {
    public S3Settings {
        if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new ConfigException("PM_S3_BUCKET must be a valid bucket name, was " + bucket);
        }
        if (region == null || region.isBlank()) {
            throw new ConfigException("PM_S3_REGION must not be empty");
        }
        if (accessKey.isEmpty() != secretKey.isEmpty()) {
            throw new ConfigException("PM_S3_ACCESS_KEY and PM_S3_SECRET_KEY must be set together");
        }
    }

    public static S3Settings from(Settings s) {
        Optional<URI> endpoint = s.optional(CommonSettings.S3_ENDPOINT).map(v -> {
            try {
                return URI.create(v);
            } catch (IllegalArgumentException e) {
                throw new ConfigException("PM_S3_ENDPOINT=" + v + " is not a URI");
            }
        });
        return new S3Settings(endpoint,
                s.string(CommonSettings.S3_REGION),
                s.required(CommonSettings.S3_BUCKET),
                s.string(CommonSettings.S3_ACCESS_KEY),
                s.string(CommonSettings.S3_SECRET_KEY, ""),
                s.bool(CommonSettings.S3_PATH_STYLE, endpoint.isPresent()));
    }
}
