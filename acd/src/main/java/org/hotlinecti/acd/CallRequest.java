package org.hotlinecti.acd;

import java.util.Map;
import java.util.Objects;

/**
 * A call asking for an agent.
 *
 * @param callId      the caller's call id (the CTI uses the Asterisk Linkedid)
 * @param queue       the queue to wait in; null: the queue named after {@code requirement}'s skill when one is
 *                    defined, else a plain queue for {@code requirement} created on first use
 * @param requirement the skill the call needs when it names no queue (ignored when the queue is defined)
 * @param priority    0 normal; higher values are served sooner (emergency-linked, enterprise seat, repeat caller):
 *                    each point adds {@link AcdSettings#priorityBoost()} to the call's score
 * @param caller      a key for the caller (e.g. the number) so an abandoned caller calling again resumes the old
 *                    place; null: not remembered. The engine never logs it.
 * @param data        attached data (line, department, IVR path ...), handed back in events
 */
public record CallRequest(String callId, String queue, SkillRequirement requirement, int priority, String caller,
        Map<String, String> data) {

    public CallRequest {
        Objects.requireNonNull(callId, "callId");
        if (queue == null && requirement == null) {
            throw new IllegalArgumentException("call " + callId + " needs a queue or a skill requirement");
        }
        if (priority < 0) {
            throw new IllegalArgumentException("priority must not be negative, was " + priority);
        }
        data = data == null ? Map.of() : Map.copyOf(data);
    }

    /** A call routed by skill only (the walking skeleton's form). */
    public CallRequest(String callId, SkillRequirement requirement, int priority) {
        this(callId, null, requirement, priority, null, Map.of());
    }

    /** A call for a named queue. */
    public static CallRequest toQueue(String callId, String queue, int priority) {
        return new CallRequest(callId, queue, null, priority, null, Map.of());
    }

    public CallRequest withCaller(String callerKey) {
        return new CallRequest(callId, queue, requirement, priority, callerKey, data);
    }

    public CallRequest withData(Map<String, String> attached) {
        return new CallRequest(callId, queue, requirement, priority, caller, attached);
    }
}
