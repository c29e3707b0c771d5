package io.photomaker.gateway.state;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Interactive queries on the state processor's stores: where a job's partition lives (its active owner and
 * standbys), reads of this instance's own store partitions, and who the members are. A read of a partition
 * this instance does not hold (or is still restoring) fails with {@link Unavailable}.
 */
public final class LocalStores {
    /** The address of a processor started without one: it answers every query itself. */
    public static final HostInfo ALONE = new HostInfo("local", 0);

    private final KafkaStreams streams;
    private final HostInfo self;
    private final OwnedStores owned;
    /** Store handles by name, partition and staleness; dropped when Kafka Streams changes state or one fails. */
    private final Map<String, ReadOnlyKeyValueStore<String, byte[]>> handles = new java.util.concurrent.ConcurrentHashMap<>();

    LocalStores(KafkaStreams streams, HostInfo self, OwnedStores owned) {
        this.streams = streams;
        this.self = self;
        this.owned = owned;
    }

    /** Where a job's partition lives. {@code active} is null while no member owns it. */
    public record Location(int partition, HostInfo active, Set<HostInfo> standbys) {
    }

    /** Who holds one partition of the stores. */
    public record Holders(HostInfo active, Set<HostInfo> standbys) {
    }

    /** A store partition that cannot be read here now (not held, or restoring, or rebalancing). */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message, null, false, false);
        }
    }

    /** This instance's advertised internal address ({@link #ALONE} when it has none). */
    public HostInfo self() {
        return self;
    }

    public boolean isSelf(HostInfo host) {
        return self.equals(host);
    }

    /** The partition of {@code jobId} and who holds it. */
    public Location locate(String jobId) {
        if (self == ALONE) {
            return new Location(-1, ALONE, Set.of());
        }
        KeyQueryMetadata md;
        try {
            md = streams.queryMetadataForKey(StateTopology.RECORDS, jobId, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            // The processor is not running (starting, stopped or failed): nobody can be named.
            return new Location(-1, null, Set.of());
        }
        if (md == null || md.equals(KeyQueryMetadata.NOT_AVAILABLE) || md.activeHost().port() < 0) {
            return new Location(md == null ? -1 : md.partition(), null, Set.of());
        }
        return new Location(md.partition(), md.activeHost(), md.standbyHosts());
    }

    /**
     * The record of {@code jobId} in this instance's store partition {@code partition} (-1: whichever holds it);
     * {@code stale} allows a standby or restoring copy.
     */
    public Optional<JobRecord> record(String jobId, int partition, boolean stale) {
        return recordJson(jobId, partition, stale).map(b -> Json.read(b, JobRecord.class));
    }

    /** As {@link #record}, the record as stored (JSON), for answering another gateway without re-encoding it. */
    public Optional<byte[]> recordJson(String jobId, int partition, boolean stale) {
        byte[] b;
        try {
            b = store(StateTopology.RECORDS, partition, stale).get(jobId);
        } catch (InvalidStateStoreException e) {
            handles.clear();
            throw new Unavailable("store partition " + partition + " moved away during the read: " + e.getMessage());
        }
        return Optional.ofNullable(b);
    }

    /**
     * Up to {@code limit} of {@code tenant}'s jobs held in {@code partitions} of this instance, newest first,
     * older than {@code beforeId} when given, in {@code status} when given. The index of every partition is
     * scanned first; only the records that make the page are read.
     */
    public List<JobRecord> list(String tenant, JobStatus status, String beforeId, int limit,
                                Collection<Integer> partitions, boolean stale) {
        TreeMap<String, Integer> newest = new TreeMap<>(Comparator.reverseOrder());
        for (int p : partitions) {
            try {
                for (String id : TenantIndex.newest(store(StateTopology.INDEX, p, stale), tenant, status, beforeId,
                        limit)) {
                    newest.put(id, p);
                }
            } catch (InvalidStateStoreException e) {
                handles.clear();
                throw new Unavailable("store partition " + p + " moved away during the read: " + e.getMessage());
            }
            while (newest.size() > limit) {
                newest.pollLastEntry();
            }
        }
        List<JobRecord> out = new ArrayList<>();
        for (Map.Entry<String, Integer> e : newest.entrySet()) {
            record(e.getKey(), e.getValue(), stale).ifPresent(out::add);
        }
        return out;
    }

    /** Who holds each partition of the job stores, by partition number. */
    public Map<Integer, Holders> holders() {
        Map<Integer, Holders> out = new TreeMap<>();
        if (self == ALONE) {
            localPartitions().forEach(p -> out.put(p, new Holders(ALONE, Set.of())));
            return out;
        }
        Map<Integer, Set<HostInfo>> standbys = new TreeMap<>();
        Map<Integer, HostInfo> actives = new TreeMap<>();
        Collection<StreamsMetadata> members;
        try {
            members = streams.metadataForAllStreamsClients();
        } catch (IllegalStateException e) {
            return out;
        }
        for (StreamsMetadata m : members) {
            for (TopicPartition tp : m.topicPartitions()) {
                if (tp.topic().equals(Topics.JOB_EVENTS)) {
                    actives.put(tp.partition(), m.hostInfo());
                }
            }
            for (TopicPartition tp : m.standbyTopicPartitions()) {
                if (tp.topic().equals(Topics.JOB_EVENTS)) {
                    standbys.computeIfAbsent(tp.partition(), k -> new HashSet<>()).add(m.hostInfo());
                }
            }
        }
        Set<Integer> all = new HashSet<>(actives.keySet());
        all.addAll(standbys.keySet());
        all.forEach(p -> out.put(p, new Holders(actives.get(p), standbys.getOrDefault(p, Set.of()))));
        return out;
    }

    /** Gateways currently in the state processor's group (at least 1: this one). */
    public int members() {
        if (self == ALONE) {
            return 1;
        }
        try {
            return Math.max(1, streams.metadataForAllStreamsClients().size());
        } catch (IllegalStateException e) {
            return 1;
        }
    }

    private Set<Integer> localPartitions() {
        Set<Integer> out = new HashSet<>();
        if (!streams.state().isRunningOrRebalancing()) {
            return out;
        }
        for (ThreadMetadata t : streams.metadataForLocalThreads()) {
            t.activeTasks().forEach(task -> task.topicPartitions().stream()
                    .filter(tp -> tp.topic().equals(Topics.JOB_EVENTS)).forEach(tp -> out.add(tp.partition())));
        }
        return out;
    }

    /** Forgets every store handle (the partitions may have moved); called on every state change of the processor. */
    void forgetHandles() {
        handles.clear();
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition, boolean stale) {
        if (partition >= 0) {
            // An owned partition, active here, serves any read, stale or not, without a Streams lookup.
            ReadOnlyKeyValueStore<String, byte[]> own = owned.store(name, partition);
            if (own != null) {
                return own;
            }
        }
        String key = name + "/" + partition + "/" + stale;
        ReadOnlyKeyValueStore<String, byte[]> cached = handles.get(key);
        if (cached != null) {
            return cached;
        }
        ReadOnlyKeyValueStore<String, byte[]> fresh = open(name, partition, stale);
        handles.put(key, fresh);
        return fresh;
    }

    private ReadOnlyKeyValueStore<String, byte[]> open(String name, int partition, boolean stale) {
        StoreQueryParameters<ReadOnlyKeyValueStore<String, byte[]>> q =
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.keyValueStore());
        if (partition >= 0) {
            q = q.withPartition(partition);
        }
        if (stale) {
            q = q.enableStaleStores();
        }
        try {
            return streams.store(q);
        } catch (InvalidStateStoreException e) {
            throw new Unavailable("store " + name + " partition " + partition + " is not readable here: "
                    + e.getMessage());
        }
    }
}
