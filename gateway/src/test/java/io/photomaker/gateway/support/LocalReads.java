package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.gateway.cluster.JobReader;
import io.photomaker.gateway.cluster.OwnerReads;
import io.photomaker.gateway.cluster.PeerClient;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.VerdictFeed;
import io.photomaker.gateway.state.JobStateProcessor;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * The read side a gateway builds on its state processor, for handler tests that run one processor without
 * a whole gateway: lookups answered from the processor's own stores, and the verdict feed.
 */
public final class LocalReads implements AutoCloseable {
    private final OwnerReads reads;
    private final PeerClient peers;
    private final VerdictFeed feed;
    private final JobLookup lookup;

    public LocalReads(Vertx vertx, KafkaSettings kafka, JobStateProcessor processor) {
        this.reads = new OwnerReads(vertx, processor.stores(), processor.arrivals(), Duration.ofSeconds(60),
                Duration.ofSeconds(10));
        this.peers = new PeerClient(vertx, "");
        this.feed = new VerdictFeed(kafka, "test-feed-" + System.nanoTime()).start();
        this.lookup = new JobLookup(new JobReader(vertx, reads, peers));
    }

    public JobLookup lookup() {
        return lookup;
    }

    public VerdictFeed feed() {
        return feed;
    }

    public OwnerReads reads() {
        return reads;
    }

    @Override
    public void close() {
        feed.close();
        peers.close();
        reads.close();
    }
}
