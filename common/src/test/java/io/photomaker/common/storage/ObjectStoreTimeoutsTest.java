package io.photomaker.common.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ObjectStoreTimeoutsTest {
    @Test
    void a_cancelled_call_timeout_leaves_the_queue_at_once_and_with_it_the_request_it_holds() {
        ScheduledThreadPoolExecutor timeouts = ObjectStore.timeoutScheduler();
        try {
            byte[] photo = new byte[100_000];
            for (int i = 0; i < 1000; i++) {
                ScheduledFuture<?> f = timeouts.schedule(() -> photo.length, 60, TimeUnit.SECONDS);
                f.cancel(false);
            }
            assertEquals(0, timeouts.getQueue().size());
        } finally {
            timeouts.shutdownNow();
        }
    }

    @Test
    void the_timeout_thread_never_keeps_the_process_alive() throws Exception {
        ScheduledThreadPoolExecutor timeouts = ObjectStore.timeoutScheduler();
        try {
            Thread[] seen = new Thread[1];
            timeouts.submit(() -> seen[0] = Thread.currentThread()).get(10, TimeUnit.SECONDS);
            assertTrue(seen[0].isDaemon());
        } finally {
            timeouts.shutdownNow();
        }
    }
}
