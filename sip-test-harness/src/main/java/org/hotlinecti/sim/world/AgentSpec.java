package org.hotlinecti.sim.world;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.hotlinecti.sim.sip.PhoneBehaviour;

/**
 * A simulated agent: the seat the CTI knows, and how the person behind the phone and desktop acts.
 *
 * @param id          agent id (工号)
 * @param name        display name
 * @param extension   phone extension (endpoint {@code agent<extension>})
 * @param skills      skill → level
 * @param phone       how the phone treats calls (answer after a delay, never answer, busy, reject)
 * @param hangUpAfter when set, the agent hangs up this long after answering (the caller then hears the survey)
 * @param wrapUp      how long the agent takes to save the ticket form after a call
 * @param ready       whether the agent makes itself ready after logging in
 */
public record AgentSpec(String id, String name, String extension, Map<String, Integer> skills, PhoneBehaviour phone,
        Duration hangUpAfter, Duration wrapUp, boolean ready) {

    public AgentSpec {
        Objects.requireNonNull(id, "id");
        extension = extension == null ? id : extension;
        name = name == null ? "坐席" + id : name;
        skills = Map.copyOf(skills);
        phone = phone == null ? PhoneBehaviour.answerAfter(Duration.ofSeconds(1)) : phone;
        wrapUp = wrapUp == null ? Duration.ofSeconds(1) : wrapUp;
    }
}
