package io.photomaker.gateway.limits;

/** What the limits need to know about the whole cluster (see {@link ClusterUsage}). */
public interface UsageView {
    /** Unfinished (queued plus running) jobs of {@code tenant} that the state processors have counted. */
    long unfinished(String tenant);

    /** Whether the counts include every job whose submitted event sits at or below {@code offset} in {@code partition}. */
    boolean counted(int partition, long offset);

    /** Live gateways sharing the limits (at least 1). */
    int gateways();

    /** A single gateway that counts nothing itself (its own submissions are the only usage it sees). */
    UsageView ALONE = new UsageView() {
        @Override
        public long unfinished(String tenant) {
            return 0;
        }

        @Override
        public boolean counted(int partition, long offset) {
            return false;
        }

        @Override
        public int gateways() {
            return 1;
        }
    };
}
