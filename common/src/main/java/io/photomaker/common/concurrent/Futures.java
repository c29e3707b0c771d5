package io.photomaker.common.concurrent;

import java.util.concurrent.CompletableFuture;

/** Combinators for {@link CompletableFuture} that the JDK lacks. */
public final class Futures {
    private Futures() {
    }

    /**
     * Completes once every one of {@code futures} has ended: normally when all succeeded, otherwise with a
     * failure of one of them. Unlike {@link CompletableFuture#allOf} alone, a failure does not end it early:
     * whoever cleans up after it knows that nothing is still in flight.
     */
    public static CompletableFuture<Void> allSettled(CompletableFuture<?>... futures) {
        CompletableFuture<?>[] ended = new CompletableFuture<?>[futures.length];
        for (int i = 0; i < futures.length; i++) {
            ended[i] = futures[i].exceptionally(e -> null);
        }
        return CompletableFuture.allOf(ended).thenCompose(v -> CompletableFuture.allOf(futures));
    }
}
