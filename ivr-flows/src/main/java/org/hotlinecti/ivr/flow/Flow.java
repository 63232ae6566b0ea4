package org.hotlinecti.ivr.flow;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A named flow: nodes and where to start.
 *
 * @param source the file it was read from (for messages)
 */
public record Flow(String id, String start, Map<String, Node> nodes, String source, int line) {

    public Flow {
        nodes = Collections.unmodifiableMap(new LinkedHashMap<>(nodes));
    }

    public Node node(String nodeId) {
        Node node = nodes.get(nodeId);
        if (node == null) {
            throw new IllegalArgumentException("flow " + id + " has no node " + nodeId);
        }
        return node;
    }
}
