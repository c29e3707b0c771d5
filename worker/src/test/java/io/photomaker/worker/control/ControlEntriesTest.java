package io.photomaker.worker.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.state.JobControl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The compact table of one partition's control facts, checked against a plain map. */
class ControlEntriesTest {
    private static final String QUEUE = "photomaker.jobs";

    @Test
    void a_kept_entry_reads_back_exactly_as_it_was_put() {
        ControlEntries table = new ControlEntries();
        String id = JobIds.newJobId();
        JobControl c = new JobControl(3, true, false, new WorkItemRef(QUEUE, 7, 123_456_789_012L, 2));
        table.put(id, c);
        assertEquals(c, table.get(id));
        JobControl later = new JobControl(4, false, true, null);
        table.put(id, later);
        assertEquals(later, table.get(id));
        assertEquals(1, table.size());
    }

    @Test
    void ids_of_another_form_are_kept_too() {
        ControlEntries table = new ControlEntries();
        JobControl c = new JobControl(1, false, false, new WorkItemRef("other.jobs", 0, 5, 1));
        for (String id : List.of("job_NOT-OURS", "JOB_0123456789abcdefghjkmnpqrs", "idn_0123456789abcdefghjkmnpqrs", "x")) {
            table.put(id, c);
            assertEquals(c, table.get(id));
            table.remove(id);
            assertNull(table.get(id));
        }
        assertEquals(0, table.size());
    }

    @Test
    void random_puts_and_removals_agree_with_a_plain_map() {
        Random random = new Random(42);
        ControlEntries table = new ControlEntries();
        Map<String, JobControl> expected = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            ids.add(i % 10 == 0 ? "job_custom-" + i : JobIds.jobIdAt(1_700_000_000_000L + random.nextInt(1_000)));
        }
        for (int step = 0; step < 40_000; step++) {
            String id = ids.get(random.nextInt(ids.size()));
            if (random.nextInt(3) == 0) {
                table.remove(id);
                expected.remove(id);
            } else {
                JobControl c = control(random);
                table.put(id, c);
                expected.put(id, c);
            }
        }
        assertEquals(expected.size(), table.size());
        for (String id : ids) {
            assertEquals(expected.get(id), table.get(id), id);
        }
    }

    @Test
    void settled_entries_go_and_every_other_entry_stays_findable() {
        Random random = new Random(7);
        ControlEntries table = new ControlEntries();
        Map<String, JobControl> expected = new HashMap<>();
        for (int i = 0; i < 2_000; i++) {
            String id = i % 7 == 0 ? "custom-" + i : JobIds.newJobId();
            JobControl c = control(random);
            table.put(id, c);
            expected.put(id, c);
        }
        table.removeSettled(QUEUE, 1, 500);
        expected.values().removeIf(c -> c.settledBelow(QUEUE, 1, 500));
        assertEquals(expected.size(), table.size());
        expected.forEach((id, c) -> assertEquals(c, table.get(id), id));
    }

    private static JobControl control(Random random) {
        WorkItemRef item = random.nextInt(5) == 0 ? null
                : new WorkItemRef(random.nextBoolean() ? QUEUE : "photomaker.jobs.other", random.nextInt(3),
                random.nextInt(1_000), random.nextInt(4));
        return new JobControl(random.nextInt(5), random.nextBoolean(), random.nextBoolean(), item);
    }
}
