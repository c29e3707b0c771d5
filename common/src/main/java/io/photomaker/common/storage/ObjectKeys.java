package io.photomaker.common.storage;

/** Deterministic object keys, so a job that runs twice overwrites rather than duplicates. */
public final class ObjectKeys {
    private ObjectKeys() {
    }

    public static String input(String jobId, int index, String extension) {
        return "inputs/" + jobId + "/" + index + "." + extension;
    }

    public static String inputPrefix(String jobId) {
        return "inputs/" + jobId + "/";
    }

    public static String output(String jobId, int index) {
        return output(jobId, index, "png");
    }

    public static String output(String jobId, int index, String extension) {
        return "outputs/" + jobId + "/" + index + "." + extension;
    }

    public static String outputPrefix(String jobId) {
        return "outputs/" + jobId + "/";
    }

    public static String identityPrefix(String identityId) {
        return "identities/" + identityId + "/";
    }

    public static String identityRecord(String identityId) {
        return identityPrefix(identityId) + "identity.json";
    }

    public static String identityEmbeddings(String identityId) {
        return identityPrefix(identityId) + "embeddings.bin";
    }

    public static String identityPhoto(String identityId, int index, String extension) {
        return identityPrefix(identityId) + "photos/" + index + "." + extension;
    }

    /** Where archived job records live; an object-store lifecycle rule expires them (deploy/k8s/base/s3-lifecycle.json). */
    public static final String ARCHIVE_PREFIX = "archive/";

    public static String archivedJob(String jobId) {
        return ARCHIVE_PREFIX + "jobs/" + jobId + ".json";
    }
}
