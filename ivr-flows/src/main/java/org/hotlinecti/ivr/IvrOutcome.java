package org.hotlinecti.ivr;

import java.util.List;

/** How an inbound flow ended. */
public sealed interface IvrOutcome {

    /** The steps the caller went through. */
    List<String> ivrPath();

    /** The caller should be queued for an agent. */
    record Route(RoutingRequest request) implements IvrOutcome {
        @Override
        public List<String> ivrPath() {
            return request.ivrPath();
        }
    }

    /** The caller hung up in the IVR. */
    record CallerHungUp(List<String> ivrPath) implements IvrOutcome {
        public CallerHungUp {
            ivrPath = List.copyOf(ivrPath);
        }
    }
}
