package org.hotlinecti.sim.pbx;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts an AMI action's response ahead of the events the action causes, as Asterisk's clients see it (traces 01, 03,
 * 08, 10, 11: {@code Redirect successful} before MusicOnHoldStop, {@code Originate successfully queued} before
 * Newchannel or OriginateResponse, {@code Channels have been bridged} before BridgeCreate).
 *
 * <p>The {@link org.hotlinecti.sim.pbx.ami.AmiServer} queues a response on the thread that completes the handler's
 * stage, at that moment, provided the session already waits on the stage; a stage completed before the session
 * attached to it is queued later, on the session's action thread, racing with whatever the completing thread
 * publishes next. So the response is completed here only once the stage has a dependent (the session's), and what
 * the action does runs after that, on the same thread.
 */
final class ReplyFirst {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyFirst.class);

    /** The session attaches right after the handler returns; this only bounds a handler called outside a session. */
    private static final long ATTACH_WAIT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private ReplyFirst() {
    }

    /**
     * A stage that completes with {@code reply} on a new thread, once the AMI session waits on it; that thread then
     * runs {@code effect} (the action's consequences, which publish events).
     */
    static CompletionStage<List<AmiMessage>> thenRun(AmiMessage reply, Runnable effect, String threadName) {
        CompletableFuture<List<AmiMessage>> stage = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            complete(stage, List.of(reply));
            try {
                effect.run();
            } catch (RuntimeException e) {
                LOG.error("{}: the action's effect failed after its response", threadName, e);
            }
        }, threadName);
        t.setDaemon(true);
        t.start();
        return stage;
    }

    /**
     * Completes {@code stage} with {@code replies} once something waits on it, so that the AMI session queues the
     * replies on this thread, now, before this thread publishes anything else.
     */
    static void complete(CompletableFuture<List<AmiMessage>> stage, List<AmiMessage> replies) {
        long deadline = System.nanoTime() + ATTACH_WAIT_NANOS;
        while (stage.getNumberOfDependents() == 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(50_000);
        }
        stage.complete(replies);
    }
}
