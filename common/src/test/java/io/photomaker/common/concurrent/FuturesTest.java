package io.photomaker.common.concurrent;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class FuturesTest {
    @Test
    void all_settled_succeeds_once_every_future_has_succeeded() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<Integer> b = new CompletableFuture<>();
        CompletableFuture<Void> all = Futures.allSettled(a, b);
        a.complete("x");
        assertFalse(all.isDone());
        b.complete(1);
        assertTrue(all.isDone());
        assertFalse(all.isCompletedExceptionally());
    }

    @Test
    void a_failure_ends_it_only_after_the_others_have_ended_and_is_passed_on() {
        CompletableFuture<String> a = new CompletableFuture<>();
        CompletableFuture<String> b = new CompletableFuture<>();
        CompletableFuture<Void> all = Futures.allSettled(a, b);
        IllegalStateException boom = new IllegalStateException("boom");
        a.completeExceptionally(boom);
        assertFalse(all.isDone(), "b is still in flight");
        b.complete("y");
        CompletionException e = assertThrows(CompletionException.class, all::join);
        assertSame(boom, e.getCause());
    }

    @Test
    void no_futures_is_done_at_once() {
        assertTrue(Futures.allSettled().isDone());
    }
}
