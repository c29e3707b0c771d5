package io.photomaker.worker.control;

import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.state.JobControl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The control facts of one control partition's jobs, held compactly: a worker following every partition keeps
 * one entry per live job, so an entry is a row of primitive columns in an open-addressing table (linear probing)
 * instead of a map node, a key string and two records (about 45 bytes a slot instead of about 220 an entry).
 * A job id of the system's own form ({@code job_} and 26 base-32 characters) is stored as its 130 bits; any
 * other key (never written by the state processor, but the topic is open) goes to a plain map beside the table.
 * The topic of a work item is one of a handful and is stored once. Written by the control reader's thread, read
 * by job threads: every method holds this table's lock.
 */
final class ControlEntries {
    private static final String PREFIX = "job_";
    private static final int ID_CHARS = 26;
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    private static final int[] DIGITS = digits();
    private static final byte USED = 1;
    private static final byte CANCEL = 2;
    private static final byte TERMINAL = 4;
    private static final byte HAS_ITEM = 8;
    private static final int MIN_CAPACITY = 16;

    // the id: characters 0-11 (60 bits), 12-23 (60 bits), 24-25 (10 bits)
    private long[] high = new long[MIN_CAPACITY];
    private long[] low = new long[MIN_CAPACITY];
    private short[] tail = new short[MIN_CAPACITY];
    private byte[] flags = new byte[MIN_CAPACITY];
    private int[] attempts = new int[MIN_CAPACITY];
    private short[] itemTopics = new short[MIN_CAPACITY];
    private int[] itemPartitions = new int[MIN_CAPACITY];
    private long[] itemOffsets = new long[MIN_CAPACITY];
    private int[] itemAttempts = new int[MIN_CAPACITY];
    private int size;
    private final List<String> topics = new ArrayList<>();
    private final Map<String, JobControl> others = new HashMap<>();

    /** Keeps {@code control} as the facts of {@code jobId}, replacing what was kept. */
    synchronized void put(String jobId, JobControl control) {
        if (!packable(jobId)) {
            others.put(jobId, control);
            return;
        }
        if ((size + 1) * 4 > high.length * 3) {
            grow();
        }
        long h = part(jobId, 0, 12);
        long l = part(jobId, 12, 12);
        short t = (short) part(jobId, 24, 2);
        int slot = find(h, l, t);
        if (slot < 0) {
            slot = ~slot;
            size++;
        }
        write(slot, h, l, t, control);
    }

    /** The facts kept for {@code jobId}, or null. */
    synchronized JobControl get(String jobId) {
        if (!packable(jobId)) {
            return others.get(jobId);
        }
        int slot = find(part(jobId, 0, 12), part(jobId, 12, 12), (short) part(jobId, 24, 2));
        return slot < 0 ? null : read(slot);
    }

    /** Forgets {@code jobId}. */
    synchronized void remove(String jobId) {
        if (!packable(jobId)) {
            others.remove(jobId);
            return;
        }
        int slot = find(part(jobId, 0, 12), part(jobId, 12, 12), (short) part(jobId, 24, 2));
        if (slot >= 0) {
            delete(slot);
        }
    }

    /** Forgets every job {@link JobControl#settledBelow} says can no longer matter. */
    synchronized void removeSettled(String topic, int partition, long committedOffset) {
        others.values().removeIf(c -> c.settledBelow(topic, partition, committedOffset));
        int slot = 0;
        while (slot < high.length) {
            // deleting shifts a later entry into this slot, so the slot is looked at again
            if ((flags[slot] & USED) != 0 && read(slot).settledBelow(topic, partition, committedOffset)) {
                delete(slot);
            } else {
                slot++;
            }
        }
    }

    /** Entries kept. */
    synchronized int size() {
        return size + others.size();
    }

    /** The slot holding the id, or {@code ~slot} of the empty slot where it would go. */
    private int find(long h, long l, short t) {
        int mask = high.length - 1;
        int slot = hash(h, l, t) & mask;
        while ((flags[slot] & USED) != 0) {
            if (high[slot] == h && low[slot] == l && tail[slot] == t) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return ~slot;
    }

    private void write(int slot, long h, long l, short t, JobControl c) {
        high[slot] = h;
        low[slot] = l;
        tail[slot] = t;
        attempts[slot] = c.attempt();
        WorkItemRef item = c.workItem();
        flags[slot] = (byte) (USED | (c.cancelRequested() ? CANCEL : 0) | (c.terminal() ? TERMINAL : 0)
                | (item != null ? HAS_ITEM : 0));
        itemTopics[slot] = item == null ? 0 : topicIndex(item.topic());
        itemPartitions[slot] = item == null ? 0 : item.partition();
        itemOffsets[slot] = item == null ? 0 : item.offset();
        itemAttempts[slot] = item == null ? 0 : item.attempt();
    }

    private JobControl read(int slot) {
        byte f = flags[slot];
        WorkItemRef item = (f & HAS_ITEM) == 0 ? null : new WorkItemRef(topics.get(itemTopics[slot]),
                itemPartitions[slot], itemOffsets[slot], itemAttempts[slot]);
        return new JobControl(attempts[slot], (f & CANCEL) != 0, (f & TERMINAL) != 0, item);
    }

    /** Empties {@code slot} and moves later entries of its probe run back, so every lookup still finds them. */
    private void delete(int slot) {
        int mask = high.length - 1;
        int hole = slot;
        int next = (hole + 1) & mask;
        while ((flags[next] & USED) != 0) {
            int home = hash(high[next], low[next], tail[next]) & mask;
            // the entry at next may fill the hole when its home is not cyclically within (hole, next]
            if (((next - home) & mask) >= ((next - hole) & mask)) {
                move(next, hole);
                hole = next;
            }
            next = (next + 1) & mask;
        }
        flags[hole] = 0;
        size--;
    }

    private void move(int from, int to) {
        high[to] = high[from];
        low[to] = low[from];
        tail[to] = tail[from];
        flags[to] = flags[from];
        attempts[to] = attempts[from];
        itemTopics[to] = itemTopics[from];
        itemPartitions[to] = itemPartitions[from];
        itemOffsets[to] = itemOffsets[from];
        itemAttempts[to] = itemAttempts[from];
    }

    private void grow() {
        ControlEntries bigger = new ControlEntries();
        bigger.allocate(high.length * 2);
        bigger.topics.addAll(topics);
        for (int s = 0; s < high.length; s++) {
            if ((flags[s] & USED) != 0) {
                int to = ~bigger.find(high[s], low[s], tail[s]);
                bigger.write(to, high[s], low[s], tail[s], read(s));
            }
        }
        high = bigger.high;
        low = bigger.low;
        tail = bigger.tail;
        flags = bigger.flags;
        attempts = bigger.attempts;
        itemTopics = bigger.itemTopics;
        itemPartitions = bigger.itemPartitions;
        itemOffsets = bigger.itemOffsets;
        itemAttempts = bigger.itemAttempts;
    }

    private void allocate(int capacity) {
        high = new long[capacity];
        low = new long[capacity];
        tail = new short[capacity];
        flags = new byte[capacity];
        attempts = new int[capacity];
        itemTopics = new short[capacity];
        itemPartitions = new int[capacity];
        itemOffsets = new long[capacity];
        itemAttempts = new int[capacity];
    }

    private short topicIndex(String topic) {
        int i = topics.indexOf(topic);
        if (i < 0) {
            if (topics.size() == Short.MAX_VALUE) {
                throw new IllegalStateException("more than " + Short.MAX_VALUE + " work queue topics");
            }
            topics.add(topic);
            i = topics.size() - 1;
        }
        return (short) i;
    }

    private static int hash(long h, long l, short t) {
        long x = h * 0x9E3779B97F4A7C15L ^ l * 0xC2B2AE3D27D4EB4FL ^ t;
        return (int) (x ^ (x >>> 29) ^ (x >>> 41));
    }

    /** Whether {@code id} has the system's job id form. */
    private static boolean packable(String id) {
        if (id.length() != PREFIX.length() + ID_CHARS || !id.startsWith(PREFIX)) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            char c = id.charAt(i);
            if (c >= 128 || DIGITS[c] < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code count} base-32 characters of the id from {@code from} (after the prefix), 5 bits each. */
    private static long part(String id, int from, int count) {
        long v = 0;
        for (int i = 0; i < count; i++) {
            v = (v << 5) | DIGITS[id.charAt(PREFIX.length() + from + i)];
        }
        return v;
    }

    private static int[] digits() {
        int[] d = new int[128];
        java.util.Arrays.fill(d, -1);
        for (int i = 0; i < ALPHABET.length(); i++) {
            d[ALPHABET.charAt(i)] = i;
        }
        return d;
    }
}
