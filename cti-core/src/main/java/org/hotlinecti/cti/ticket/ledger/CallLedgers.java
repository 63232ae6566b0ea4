package org.hotlinecti.cti.ticket.ledger;

import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Ledgers combined. */
public final class CallLedgers {

    private static final Logger LOG = LoggerFactory.getLogger(CallLedgers.class);

    private CallLedgers() {
    }

    /**
     * Records every event in {@code primary} then in {@code copy} (a report such as queue_log); reads from
     * {@code primary}. A failure of the copy never stops the primary.
     */
    public static CallLedger tee(CallLedger primary, CallLedger copy) {
        Objects.requireNonNull(primary, "primary");
        Objects.requireNonNull(copy, "copy");
        return new CallLedger() {
            @Override
            public void record(CallEvent event) {
                primary.record(event);
                try {
                    copy.record(event);
                } catch (RuntimeException e) {
                    LOG.error("Cannot copy call event {} of call {}: {}", event.kind(), event.linkedId(), e.toString());
                }
            }

            @Override
            public List<CallEvent> eventsOf(String linkedId) {
                return primary.eventsOf(linkedId);
            }
        };
    }
}
