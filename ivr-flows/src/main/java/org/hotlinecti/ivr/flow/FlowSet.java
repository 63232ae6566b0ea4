package org.hotlinecti.ivr.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The flows in force, by id; validated as a whole (gotos between flows resolve). */
public record FlowSet(Map<String, Flow> flows) {

    /** The flow set shipped in the jar. */
    public static final String DEFAULT_RESOURCE = "ivr/flows.yaml";

    public FlowSet {
        flows = Collections.unmodifiableMap(new LinkedHashMap<>(flows));
    }

    public Optional<Flow> flow(String id) {
        return Optional.ofNullable(flows.get(id));
    }
}
