package io.photomaker.common.storage;

import io.photomaker.common.config.S3Settings;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncRequestBody;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CreateBucketRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.GetObjectPresignRequest;

/**
 * The bucket holding ID photos, outputs and archives, reached through the S3 API (AWS, MinIO or the
 * embedded S3Proxy). Asynchronous so the gateway's event loop never blocks; callers that may block
 * use {@code join()}. Failures surface as {@link StorageException} with a retryable flag.
 */
public final class ObjectStore implements AutoCloseable {
    private final S3AsyncClient client;
    private final S3Presigner presigner;
    private final String bucket;
    private final ScheduledThreadPoolExecutor timeouts;

    public ObjectStore(S3Settings s) {
        this.timeouts = timeoutScheduler();
        AwsCredentialsProvider creds = s.accessKey().isEmpty()
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
        S3Configuration cfg = S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build();
        var builder = S3AsyncClient.builder()
                .region(Region.of(s.region()))
                .credentialsProvider(creds)
                .serviceConfiguration(cfg)
                .httpClientBuilder(NettyNioAsyncHttpClient.builder()
                        .maxConcurrency(128)
                        .connectionTimeout(Duration.ofSeconds(5)))
                .overrideConfiguration(o -> o.apiCallTimeout(Duration.ofSeconds(60))
                        .apiCallAttemptTimeout(Duration.ofSeconds(20))
                        .scheduledExecutorService(timeouts));
        var presign = S3Presigner.builder().region(Region.of(s.region())).credentialsProvider(creds)
                .serviceConfiguration(cfg);
        s.endpoint().ifPresent(builder::endpointOverride);
        s.endpoint().ifPresent(presign::endpointOverride);
        this.client = builder.build();
        this.presigner = presign.build();
        this.bucket = s.bucket();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it does not exist (dev and tests; production buckets are provisioned). */
    public CompletableFuture<Void> ensureBucket() {
        return client.headBucket(HeadBucketRequest.builder().bucket(bucket).build())
                .thenApply(r -> (Void) null)
                .exceptionallyCompose(e -> client.createBucket(CreateBucketRequest.builder().bucket(bucket).build())
                        .thenApply(r -> (Void) null))
                .exceptionally(e -> {
                    throw wrap("create bucket " + bucket, e);
                });
    }

    /**
     * Stores {@code bytes} under {@code key}. The client sends the array as it is, without a copy of its own:
     * the caller must not change it until the returned future has completed.
     */
    public CompletableFuture<Void> put(String key, byte[] bytes, String contentType) {
        PutObjectRequest req = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType).build();
        return client.putObject(req, AsyncRequestBody.fromBytesUnsafe(bytes))
                .handle((r, e) -> {
                    if (e != null) {
                        throw wrap("put " + key, e);
                    }
                    return null;
                });
    }

    public CompletableFuture<byte[]> get(String key) {
        GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(key).build();
        return client.getObject(req, AsyncResponseTransformer.toBytes())
                .handle((r, e) -> {
                    if (e != null) {
                        throw wrap("get " + key, e);
                    }
                    return r.asByteArray();
                });
    }

    /** An object's bytes and the ETag naming this version of it. */
    public record Versioned(byte[] bytes, String etag) {
    }

    /** The object under {@code key} with its ETag, for a later {@link #replaceIf}. */
    public CompletableFuture<Versioned> getVersioned(String key) {
        GetObjectRequest req = GetObjectRequest.builder().bucket(bucket).key(key).build();
        return client.getObject(req, AsyncResponseTransformer.toBytes())
                .handle((r, e) -> {
                    if (e != null) {
                        throw wrap("get " + key, e);
                    }
                    return new Versioned(r.asByteArray(), r.response().eTag());
                });
    }

    /**
     * Replaces {@code key} only while it is still the version {@code etag} names (an S3 conditional write,
     * {@code If-Match}): completes with the new ETag, or with null when the object changed or is gone since, in
     * which case nothing was written.
     */
    public CompletableFuture<String> replaceIf(String key, String etag, byte[] bytes, String contentType) {
        PutObjectRequest req = PutObjectRequest.builder().bucket(bucket).key(key).contentType(contentType)
                .ifMatch(etag).build();
        return client.putObject(req, AsyncRequestBody.fromBytes(bytes))
                .handle((r, e) -> {
                    if (e == null) {
                        return r.eTag();
                    }
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    // 412: another version; 404: deleted; 409: a concurrent conditional write won.
                    if (cause instanceof S3Exception s3 && (s3.statusCode() == 412 || s3.statusCode() == 404
                            || s3.statusCode() == 409)) {
                        return null;
                    }
                    throw wrap("put " + key, e);
                });
    }

    /** Deletes one object; deleting an object that does not exist succeeds. */
    public CompletableFuture<Void> delete(String key) {
        return client.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(key).build())
                .handle((r, e) -> {
                    if (e != null) {
                        throw wrap("delete " + key, e);
                    }
                    return null;
                });
    }

    /** Keys under {@code prefix} (at most 1000, enough for one job's objects). */
    public CompletableFuture<List<String>> list(String prefix) {
        ListObjectsV2Request req = ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build();
        return client.listObjectsV2(req).handle((r, e) -> {
            if (e != null) {
                throw wrap("list " + prefix, e);
            }
            return r.contents().stream().map(S3Object::key).toList();
        });
    }

    /** Deletes every object under {@code prefix}; completes with how many were deleted. */
    public CompletableFuture<Integer> deletePrefix(String prefix) {
        return list(prefix).thenCompose(keys -> {
            if (keys.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            List<ObjectIdentifier> ids = keys.stream().map(k -> ObjectIdentifier.builder().key(k).build()).toList();
            DeleteObjectsRequest req = DeleteObjectsRequest.builder().bucket(bucket)
                    .delete(Delete.builder().objects(ids).quiet(true).build()).build();
            return client.deleteObjects(req).handle((r, e) -> {
                if (e != null) {
                    throw wrap("delete " + prefix, e);
                }
                return keys.size();
            });
        });
    }

    /** A URL that lets anyone GET {@code key} until it expires. */
    public String presignGet(String key, Duration ttl) {
        GetObjectPresignRequest req = GetObjectPresignRequest.builder().signatureDuration(ttl)
                .getObjectRequest(GetObjectRequest.builder().bucket(bucket).key(key).build()).build();
        return presigner.presignGetObject(req).url().toString();
    }

    /** Completes normally when the bucket answers. */
    public CompletableFuture<Void> ping() {
        return client.headBucket(HeadBucketRequest.builder().bucket(bucket).build()).handle((r, e) -> {
            if (e != null) {
                throw wrap("reach bucket " + bucket, e);
            }
            return null;
        });
    }

    private static StorageException wrap(String what, Throwable e) {
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (cause instanceof StorageException se) {
            return se;
        }
        boolean missing = cause instanceof NoSuchKeyException
                || (cause instanceof S3Exception s3 && s3.statusCode() == 404);
        boolean retryable = !missing && (cause instanceof SdkClientException
                || (cause instanceof S3Exception s3e && (s3e.statusCode() >= 500 || s3e.statusCode() == 429)));
        String msg = "cannot " + what + ": " + (missing ? "no such object" : cause.getMessage());
        return new StorageException(msg, retryable, cause);
    }

    @Override
    public void close() {
        presigner.close();
        client.close();
        timeouts.shutdownNow();
    }

    /**
     * Where the client schedules its call timeouts. Every request schedules two and cancels them when it
     * completes; a cancelled task must leave the queue at once, or it keeps the request and its body (a whole
     * photo) reachable for the full 60 s: at a hundred submissions a second that is gigabytes of heap.
     */
    static ScheduledThreadPoolExecutor timeoutScheduler() {
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "object-store-timeouts");
            t.setDaemon(true);
            return t;
        });
        pool.setRemoveOnCancelPolicy(true);
        return pool;
    }
}
