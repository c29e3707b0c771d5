package io.photomaker.gateway.state;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The per-tenant job index the state processor keeps beside the job records, in the same partition as the
 * jobs it points at. Two keys per job: {@code a/<tenant>/<job id>} (all jobs) and
 * {@code s/<tenant>/<status>/<job id>} (jobs by status); job ids sort by creation time, so a reverse range
 * scan lists a tenant's jobs newest first, with or without a status filter, and a job id is a stable cursor.
 */
public final class TenantIndex {
    private static final byte[] PRESENT = new byte[0];
    /** Sorts after every job id (job ids are ASCII). */
    private static final String HIGHEST = "\uffff";

    private TenantIndex() {
    }

    /** Brings the index in {@code store} from {@code before} (null for a new job) to {@code after}. */
    static void update(KeyValueStore<String, byte[]> store, JobRecord before, JobRecord after) {
        if (before == null) {
            store.put(prefix(after.tenant(), null) + after.id(), PRESENT);
        } else if (before.status() == after.status()) {
            return;
        } else {
            store.delete(prefix(before.tenant(), before.status()) + before.id());
        }
        store.put(prefix(after.tenant(), after.status()) + after.id(), PRESENT);
    }

    /** Takes {@code r} out of the index (its record left the live state). */
    static void remove(KeyValueStore<String, byte[]> store, JobRecord r) {
        store.delete(prefix(r.tenant(), null) + r.id());
        store.delete(prefix(r.tenant(), r.status()) + r.id());
    }

    /**
     * Up to {@code limit} of {@code tenant}'s job ids in {@code store}, newest first, only those older than
     * {@code beforeId} when it is given, and only those in {@code status} when it is given.
     */
    public static List<String> newest(ReadOnlyKeyValueStore<String, byte[]> store, String tenant, JobStatus status,
                                      String beforeId, int limit) {
        String prefix = prefix(tenant, status);
        String to = beforeId == null ? prefix + HIGHEST : prefix + beforeId;
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.reverseRange(prefix, to)) {
            while (it.hasNext() && ids.size() < limit) {
                String id = it.next().key.substring(prefix.length());
                if (!id.equals(beforeId)) {
                    ids.add(id);
                }
            }
        }
        return ids;
    }

    /** The index keys of job {@code r}: its entry among all of its tenant's jobs, and among those in its status. */
    public static java.util.List<String> keysOf(JobRecord r) {
        return java.util.List.of(prefix(r.tenant(), null) + r.id(), prefix(r.tenant(), r.status()) + r.id());
    }

    static String prefix(String tenant, JobStatus status) {
        return status == null ? "a/" + tenant + "/" : "s/" + tenant + "/" + status.wireName() + "/";
    }
}
