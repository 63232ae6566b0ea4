package org.hotlinecti.ivr;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Helpers for flows written as chains of {@link Channel} stages. */
final class Flows {

    private Flows() {
    }

    /**
     * {@code flow}, except that a caller hang-up anywhere in it ends it normally with {@code onHangUp}'s value; any
     * other failure (a bug, a PBX that refused a command) still fails the stage.
     */
    static <T> CompletionStage<T> endOnHangUp(CompletionStage<T> flow, Supplier<? extends T> onHangUp) {
        return flow.handle((value, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(value);
            }
            if (ChannelHungUpException.isCauseOf(failure)) {
                return CompletableFuture.<T>completedFuture(onHangUp.get());
            }
            return CompletableFuture.<T>failedFuture(failure);
        }).thenCompose(stage -> stage);
    }
}
