package io.photomaker.worker.stop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StopSwitchTest {

    @Test
    void the_first_reason_holds_and_the_work_stops_with_it() {
        StopSwitch s = new StopSwitch();
        s.stop(StopReason.PARTITION_REVOKED);
        s.stop(StopReason.DRAIN);

        assertEquals(Optional.of(StopReason.PARTITION_REVOKED), s.reason());
        Stopped e = assertThrows(Stopped.class, () -> s.check(7));
        assertEquals(StopReason.PARTITION_REVOKED, e.reason());
        assertEquals(7, e.completedSteps());
        assertTrue(e.reason().handsBack());
    }

    @Test
    void a_user_cancel_is_noticed_once_and_then_kept_without_asking_again() {
        StopSwitch s = new StopSwitch();
        int[] asked = {0};
        StopSignal signal = s.orWhenCanceled(() -> ++asked[0] >= 2);

        assertEquals(Optional.empty(), signal.reason());
        assertEquals(Optional.of(StopReason.CANCELED_BY_USER), signal.reason());
        assertEquals(Optional.of(StopReason.CANCELED_BY_USER), signal.reason());
        assertEquals(2, asked[0]);
        assertFalse(StopReason.CANCELED_BY_USER.handsBack());
        s.stop(StopReason.DRAIN);
        assertEquals(Optional.of(StopReason.CANCELED_BY_USER), s.reason(), "a later drain does not turn a cancel into a hand-back");
    }

    @Test
    void a_drain_stops_only_work_that_has_not_begun_and_stopped_work_never_begins() {
        StopSwitch running = new StopSwitch();
        assertTrue(running.begin());
        running.stopIfNotBegun(StopReason.DRAIN);
        assertEquals(Optional.empty(), running.reason());

        StopSwitch waiting = new StopSwitch();
        List<StopReason> heard = new ArrayList<>();
        waiting.whenStopped(heard::add);
        waiting.stopIfNotBegun(StopReason.DRAIN);
        assertEquals(List.of(StopReason.DRAIN), heard);
        assertFalse(waiting.begin());
        assertFalse(waiting.hasBegun());
    }

    @Test
    void a_listener_added_after_the_stop_hears_it_at_once() {
        StopSwitch s = new StopSwitch();
        s.stop(StopReason.DRAIN);
        List<StopReason> heard = new ArrayList<>();

        s.whenStopped(heard::add);

        assertEquals(List.of(StopReason.DRAIN), heard);
    }
}
