package io.photomaker.devtools;

import io.photomaker.cli.Args;
import io.photomaker.cli.Command;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/** {@code infra}: embedded Kafka and S3 only, for separate gateway and worker processes. */
final class InfraCommand implements Command {
    @Override
    public String name() {
        return "infra";
    }

    @Override
    public java.util.Set<String> options() {
        return java.util.Set.of("partitions", "s3-port", "data", "only");
    }

    @Override
    public String summary() {
        return "embedded Kafka + S3; prints the settings other processes need "
                + "(--partitions N, --s3-port P, --data DIR, --only kafka|s3)";
    }

    @Override
    public int run(Args args) throws Exception {
        String only = args.get("only", "");
        if (!only.isEmpty() && !only.equals("kafka") && !only.equals("s3")) {
            throw new Args.UsageException("--only must be kafka or s3");
        }
        int partitions = args.getInt("partitions", 6);
        Path data = args.get("data").map(Path::of).orElse(null);
        EmbeddedKafka kafka = null;
        EmbeddedS3 s3 = null;
        try {
            if (!only.equals("s3")) {
                kafka = EmbeddedKafka.start(partitions);
                System.out.println("PM_KAFKA_BOOTSTRAP=" + kafka.bootstrapServers());
                System.out.println("PM_TOPIC_PARTITIONS=" + partitions);
            }
            if (!only.equals("kafka")) {
                s3 = EmbeddedS3.start(data == null ? null : data.resolve("s3"), args.getInt("s3-port", 0));
                try (ObjectStore store = new ObjectStore(s3.settings())) {
                    store.ensureBucket().join();
                }
                s3.environment().forEach((k, v) -> System.out.println(k + "=" + v));
            }
            System.out.println("infra ready (Ctrl-C to stop)");
            System.out.flush();
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } finally {
            if (s3 != null) {
                s3.close();
            }
            if (kafka != null) {
                kafka.close();
            }
        }
        return 0;
    }
}
