package io.photomaker.gateway.state;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Timers kept in a key-value store of the state processor, so they survive restarts and move with the
 * partition that owns the job. Keys are {@code <due millis, zero-padded>|<kind>|<job id>}: the store's
 * byte order is due-time order, so finding what is due is one range scan.
 */
public final class Schedule {
    /** What a timer does when it fires. */
    public enum Kind {
        /** Move a job still queued at its deadline to expired. */
        EXPIRE,
        /** Delete the job's ID photos. */
        DELETE_INPUTS,
        /** Delete the job's outputs. */
        DELETE_OUTPUTS,
        /** Archive the record to the object store and remove it from the state topic. */
        ARCHIVE
    }

    /** One timer. */
    public record Entry(long due, Kind kind, String jobId) {
        public String key() {
            return pad(due) + "|" + kind.name() + "|" + jobId;
        }

        static Entry parse(String key) {
            String[] parts = key.split("\\|", 3);
            return new Entry(Long.parseLong(parts[0]), Kind.valueOf(parts[1]), parts[2]);
        }
    }

    private static final byte[] PRESENT = new byte[0];
    private final KeyValueStore<String, byte[]> store;

    public Schedule(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    public void add(long due, Kind kind, String jobId) {
        store.put(new Entry(Math.max(0, due), kind, jobId).key(), PRESENT);
    }

    public void remove(Entry e) {
        store.delete(e.key());
    }

    /** Timers due at {@code now} or earlier, earliest first, at most {@code limit}. */
    public List<Entry> due(long now, int limit) {
        List<Entry> out = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(pad(0), pad(now) + "|\uffff")) {
            while (it.hasNext() && out.size() < limit) {
                out.add(Entry.parse(it.next().key));
            }
        }
        return out;
    }

    private static String pad(long millis) {
        return String.format("%016d", millis);
    }
}
