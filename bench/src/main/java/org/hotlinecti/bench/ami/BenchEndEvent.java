package org.hotlinecti.bench.ami;

import org.asteriskjava.manager.event.UserEvent;

/** The benchmark's end marker ({@code UserEvent: BenchEnd}) as Asterisk-Java builds it once registered. */
public class BenchEndEvent extends UserEvent {

    private static final long serialVersionUID = 1L;

    public BenchEndEvent(Object source) {
        super(source);
    }
}
