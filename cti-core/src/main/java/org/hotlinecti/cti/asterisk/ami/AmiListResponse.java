package org.hotlinecti.cti.asterisk.ami;

import java.util.List;

/**
 * The answer to a list action (CoreShowChannels, Status, BridgeList ...): the {@code Response: Success} packet, the
 * events that carried the action's ActionID, and the closing {@code ...Complete} event.
 */
public record AmiListResponse(AmiMessage response, List<AmiMessage> items, AmiMessage complete) {

    public AmiListResponse {
        items = List.copyOf(items);
    }
}
