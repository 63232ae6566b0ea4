package org.hotlinecti.ivr.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.hotlinecti.ivr.DepartmentLine;

/**
 * Who is calling which line: what a flow's conditions look at.
 *
 * @param line         the line serving the dialled number
 * @param callerNumber the caller's number as the trunk gave it (may be empty for withheld numbers)
 * @param callId       what identifies the call across the PBX (the Linkedid), e.g. for voicemail file names; may be
 *                     empty
 * @param data         data already attached to the call (e.g. by the dialplan); flows add to a copy
 */
public record IvrCall(DepartmentLine line, String callerNumber, String callId, Map<String, String> data) {

    public IvrCall {
        Objects.requireNonNull(line, "line");
        callerNumber = callerNumber == null ? "" : callerNumber;
        callId = callId == null ? "" : callId;
        data = data == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(data));
    }

    public IvrCall(DepartmentLine line, String callerNumber, Map<String, String> data) {
        this(line, callerNumber, "", data);
    }

    public IvrCall(DepartmentLine line, String callerNumber) {
        this(line, callerNumber, "", Map.of());
    }
}
