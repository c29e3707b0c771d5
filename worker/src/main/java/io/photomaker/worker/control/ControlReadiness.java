package io.photomaker.worker.control;

import io.photomaker.worker.loop.PartitionReadiness;
import java.util.Collection;
import org.apache.kafka.common.TopicPartition;

/**
 * The worker loop's readiness check on the job-control topic: a partition of the work queue may give work
 * once the matching control partition is loaded. Asking about a partition is what makes the reader follow it,
 * so the loop needs no other hook; partitions of other topics (identity requests) are always ready.
 */
public final class ControlReadiness implements PartitionReadiness {
    private final JobControlReader reader;
    private final String jobsTopic;

    public ControlReadiness(JobControlReader reader, String jobsTopic) {
        this.reader = reader;
        this.jobsTopic = jobsTopic;
    }

    @Override
    public boolean isReady(TopicPartition partition) {
        if (!partition.topic().equals(jobsTopic)) {
            return true;
        }
        reader.want(partition.partition());
        return reader.caughtUp(partition.partition());
    }

    /** A work partition read again waits for the state processor to have applied what was done with it. */
    @Override
    public void reread(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (tp.topic().equals(jobsTopic)) {
                reader.handOver(tp.partition());
            }
        }
    }
}
