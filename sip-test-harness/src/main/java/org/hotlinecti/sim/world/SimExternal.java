package org.hotlinecti.sim.world;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.sim.sip.AgentPhone;
import org.hotlinecti.sim.sip.AgentPhoneListener;
import org.hotlinecti.sim.sip.PhoneCall;

/** A party outside the centre at work (see {@link ExternalSpec}): its phone and the calls it was offered. */
public final class SimExternal {

    private final ExternalSpec spec;
    private final AgentPhone phone;

    SimExternal(ExternalSpec spec, AgentPhone phone, ScheduledExecutorService timers) {
        this.spec = spec;
        this.phone = phone;
        phone.setBehaviour(spec.phone());
        if (spec.hangUpAfter() != null) {
            phone.setListener(new AgentPhoneListener() {
                @Override
                public void onAnswered(PhoneCall call) {
                    timers.schedule(phone::hangup, spec.hangUpAfter().toMillis(), TimeUnit.MILLISECONDS);
                }
            });
        }
    }

    public ExternalSpec spec() {
        return spec;
    }

    /** Where the network routes the number: the phone's address with the number as user. */
    String contactUri() {
        return phone.contactUri().replaceFirst("^sip:[^@]*@", "sip:" + spec.number() + "@");
    }

    /** The calls offered to this party (finished ones first, then the active one), as its phone saw them. */
    public List<PhoneCall> calls() {
        List<PhoneCall> all = new java.util.ArrayList<>(phone.history());
        phone.currentCall().ifPresent(all::add);
        return all;
    }
}
