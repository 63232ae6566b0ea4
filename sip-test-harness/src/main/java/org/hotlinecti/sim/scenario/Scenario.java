package org.hotlinecti.sim.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/**
 * A scenario file (see DESIGN.md, "Scenario files"): who works, who calls, and what must come out. Bound strictly from
 * YAML by {@link ScenarioLoader}; unknown keys are errors.
 *
 * @param name    one line saying what the scenario proves
 * @param start   the CTI clock's start (Asia/Shanghai offsets), or null for now
 * @param config  overlay on the CTI's default configuration (lines, queues, skills, hours, ring timeout ...)
 * @param timeout how long the run may take before it fails (default: last call's start + 60 s)
 * @param warmup  readies in the run's first {@code warmup} are left out of the ready→ring figures (default none):
 *                a measurement scenario's first seconds time the JIT compiling the paths, not the steady state
 * @param agents  the agents on duty; they start in list order, each ready before the next logs in, so the first
 *                listed is the longest idle and is offered the first call
 * @param calls   the calls placed
 * @param expect  what must be true afterwards
 */
public record Scenario(String name, OffsetDateTime start, JsonNode config, Duration timeout, Duration warmup,
        List<Agent> agents,
        List<External> externals, List<Call> calls, Expect expect) {

    /**
     * An agent. {@code answer_after} (default 1s), or {@code no_answer: true}, {@code busy: true},
     * {@code reject: true}; {@code hang_up_after} makes the agent end the talk first; {@code wrap_up} is the time to
     * save the ticket form; {@code ready: false} keeps the agent logged in but not ready.
     */
    public record Agent(String id, String name, String extension, Map<String, Integer> skills, Duration answerAfter,
            Boolean noAnswer, Boolean busy, Boolean reject, Duration hangUpAfter, Duration wrapUp, Boolean ready) {
    }

    /**
     * A party outside the centre reached over a trunk (an emergency service, a department's sub-centre): {@code
     * number} on {@code trunk} (default {@code trunk}, the carrier); {@code answer_after} (default 1s), or {@code
     * no_answer: true}, {@code busy: true}, {@code reject: true} (closed); {@code hang_up_after} makes it end the talk.
     * A number dialled over a trunk that no external answers is unreachable (CHANUNAVAIL).
     */
    public record External(String number, String trunk, Duration answerAfter, Boolean noAnswer, Boolean busy,
            Boolean reject, Duration hangUpAfter) {
    }

    /**
     * A call: {@code from} dials {@code to} at {@code at}; {@code dtmf} keys are pressed one entry per prompt that
     * accepts keys; {@code talk} is how long the caller talks once an agent answered; {@code hangup_after} makes the
     * caller give up waiting (abandon); {@code survey} is the key pressed in the satisfaction survey.
     */
    public record Call(String from, String to, Duration at, List<String> dtmf, Duration talk, Duration hangupAfter,
            String survey) {
    }

    /**
     * Expectations. Each listed ticket / screen-pop must match one actual ticket / pop on every field it names (fields
     * not named are not checked; a value starting with {@code ~} is a regular expression the whole field must match, e.g.
 * {@code recording: "~voicemail/.+\\.wav"}). Regardless of what is listed, every call must end with exactly one
 * ticket, and every recording a ticket names must exist as a WAV file where the PBX wrote it.
     *
     * <p>{@code agents} lists agent states at the end of the run, e.g. {@code {id: "1001", state: not_ready, reason:
     * rona}}: {@code id} (required, an agent of the scenario), {@code state} and {@code reason} (optional; an empty
     * {@code reason} means none) are checked against the last state the agent's desktop heard once every call ended;
     * the runner gives the desktops a few seconds to hear the final state (a wrap-up ending, say). Unknown fields are
     * errors, as for tickets.
     *
     * <p>{@code callbacks} lists call backs that must be due at the end of the run ({@code GET /api/callbacks}), e.g.
     * {@code {caller: "13700026001", queue: general, line: "12345"}} (fields: call_id, queue, caller, line, due_at,
     * waited_seconds).
     *
     * <p>{@code heard} lists what callers must (not) have heard, as the zh-CN text of the catalogue prompts the PBX
     * played to them, in order and run together (music on hold is {@code ♪}), e.g. {@code {caller: "13900029003",
     * says: ["您前面还有两位", "~预计等待.+分钟"], not: "您是下一位"}}: {@code caller} (required, the {@code from} of a
     * call), {@code says} (one text or a list, found in this order; {@code ~} starts a regular expression) and
     * {@code not} (one text or a list that must not occur).
     */
    public record Expect(List<Map<String, Object>> tickets, List<Map<String, Object>> screenPops,
            List<Map<String, Object>> agents, List<Map<String, Object>> callbacks,
            List<Map<String, Object>> heard) {
    }
}
