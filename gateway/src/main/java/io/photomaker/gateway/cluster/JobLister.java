package io.photomaker.gateway.cluster;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.state.LocalStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Lists a tenant's jobs across every gateway: the tenant index is partitioned like the jobs, so each
 * partition's owner returns its newest matching jobs and the pages are merged newest first. A partition
 * whose owner does not answer is asked of a standby; when neither can, the listing fails with 503 rather than
 * return a page with holes. The cursor is a job id, so pages stay stable while partitions move.
 */
public final class JobLister {
    private final Vertx vertx;
    private final OwnerReads local;
    private final PeerClient peers;

    public JobLister(Vertx vertx, OwnerReads local, PeerClient peers) {
        this.vertx = vertx;
        this.local = local;
        this.peers = peers;
    }

    /**
     * Up to {@code limit} of the tenant's jobs older than {@code beforeId} (when given), newest first. While a
     * rebalance leaves some partition without anyone to answer, it asks again for a few seconds, as GETs do.
     */
    public Future<List<JobRecord>> list(String tenant, JobStatus status, String beforeId, int limit) {
        return list(tenant, status, beforeId, limit,
                System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(JobReader.PATIENCE_MS), 50);
    }

    private Future<List<JobRecord>> list(String tenant, JobStatus status, String beforeId, int limit, long deadline,
                                         long backoffMs) {
        return once(tenant, status, beforeId, limit).recover(e -> {
            if (System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
                return Future.failedFuture(e);
            }
            io.vertx.core.Promise<Void> later = io.vertx.core.Promise.promise();
            vertx.setTimer(backoffMs, t -> later.complete());
            return later.future().compose(v -> list(tenant, status, beforeId, limit, deadline,
                    Math.min(backoffMs * 2, 800)));
        });
    }

    private Future<List<JobRecord>> once(String tenant, JobStatus status, String beforeId, int limit) {
        Map<Integer, LocalStores.Holders> holders = local.stores().holders();
        if (holders.isEmpty()) {
            return Future.failedFuture(JobReader.unavailable("the job list"));
        }
        Map<HostInfo, List<Integer>> byActive = new HashMap<>();
        List<Integer> orphans = new ArrayList<>();
        holders.forEach((p, h) -> {
            if (h.active() == null) {
                orphans.add(p);
            } else {
                byActive.computeIfAbsent(h.active(), k -> new ArrayList<>()).add(p);
            }
        });
        Query q = new Query(tenant, status, beforeId, limit);
        List<Future<Part>> parts = new ArrayList<>();
        byActive.forEach((host, ps) -> parts.add(ask(host, ps, false, q)));
        return Future.join(parts).transform(ar -> {
            List<JobRecord> found = new ArrayList<>();
            Set<HostInfo> failed = new HashSet<>();
            List<Integer> missing = new ArrayList<>(orphans);
            for (Future<Part> f : parts) {
                Part part = f.result();
                if (part.records() != null) {
                    found.addAll(part.records());
                } else {
                    failed.add(part.host());
                    missing.addAll(part.partitions());
                }
            }
            return fromStandbys(missing, holders, failed, q).map(more -> {
                found.addAll(more);
                found.sort(Comparator.comparing(JobRecord::id).reversed());
                return found.size() > limit ? new ArrayList<>(found.subList(0, limit)) : found;
            });
        });
    }

    private record Query(String tenant, JobStatus status, String beforeId, int limit) {
    }

    /** One gateway's answer for some partitions; {@code records} is null when it failed. */
    private record Part(HostInfo host, List<Integer> partitions, List<JobRecord> records) {
    }

    private Future<Part> ask(HostInfo host, List<Integer> partitions, boolean stale, Query q) {
        Future<List<JobRecord>> answer = local.stores().isSelf(host)
                ? local.list(q.tenant(), q.status(), q.beforeId(), q.limit(), partitions, stale)
                : peers.list(host, q.tenant(), q.status(), q.beforeId(), q.limit(), partitions, stale);
        return answer.map(r -> new Part(host, partitions, r)).otherwise(e -> new Part(host, partitions, null));
    }

    private Future<List<JobRecord>> fromStandbys(List<Integer> missing, Map<Integer, LocalStores.Holders> holders,
                                                 Set<HostInfo> failed, Query q) {
        if (missing.isEmpty()) {
            return Future.succeededFuture(List.of());
        }
        Map<HostInfo, List<Integer>> byStandby = new HashMap<>();
        for (int p : missing) {
            LocalStores.Holders h = holders.get(p);
            HostInfo standby = h == null ? null : h.standbys().stream().filter(s -> !failed.contains(s))
                    .findFirst().orElse(null);
            if (standby == null) {
                return Future.failedFuture(JobReader.unavailable("the job list"));
            }
            byStandby.computeIfAbsent(standby, k -> new ArrayList<>()).add(p);
        }
        List<Future<Part>> parts = new ArrayList<>();
        byStandby.forEach((host, ps) -> parts.add(ask(host, ps, true, q)));
        return Future.join(parts).transform(ar -> {
            List<JobRecord> found = new ArrayList<>();
            for (Future<Part> f : parts) {
                if (f.result().records() == null) {
                    return Future.failedFuture(JobReader.unavailable("the job list"));
                }
                found.addAll(f.result().records());
            }
            return Future.succeededFuture(found);
        });
    }
}
