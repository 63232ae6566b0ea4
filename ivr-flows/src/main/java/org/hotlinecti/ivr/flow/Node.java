package org.hotlinecti.ivr.flow;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One step of a flow, as loaded from YAML by {@link FlowLoader}. Node ids are unique within their flow; {@code next}
 * and the other targets name nodes of the same flow ({@link Goto} enters another flow).
 */
public sealed interface Node {

    /** The node's id in its flow. */
    String id();

    /** Where the node is written, for messages. */
    int line();

    /** The nodes this one may continue with (for validation: dangling targets, reachability, loops). */
    List<String> targets();

    /** Whether the node waits for the caller (a loop through such a node cannot spin without the caller). */
    default boolean takesInput() {
        return false;
    }

    /** Plays prompts one after the other, then continues. */
    record Play(String id, int line, List<PromptRef> prompts, String next) implements Node {
        @Override
        public List<String> targets() {
            return List.of(next);
        }
    }

    /**
     * Plays a prompt (by default the line's welcome) that the line's own menu keys ({@code menu:} of the line, e.g.
     * 1 涉企服务) may interrupt: a key ends the flow with a route by that key's skill and priority; nothing pressed
     * continues with {@code next} as soon as the prompt ends. A line without keys just plays the prompt.
     */
    record LineMenu(String id, int line, PromptRef prompt, String next) implements Node {
        @Override
        public List<String> targets() {
            return List.of(next);
        }
    }

    /** A key of a menu. */
    record MenuKey(String next, String label) {
    }

    /**
     * Asks for one key. Nothing pressed or an invalid key replays the prompt up to {@code retries} more times (an
     * invalid key first plays {@code invalidPrompt}); then {@code noInput} (or {@code onInvalid}) is taken. With
     * {@code timeout} zero the keys are only taken while the prompt plays and nothing pressed continues at once (the
     * GB/T 33358 way: a menu never adds waiting).
     */
    record Menu(String id, int line, PromptRef prompt, Map<Character, MenuKey> keys, Duration timeout, int retries,
            Optional<PromptRef> invalidPrompt, String noInput, String onInvalid) implements Node {
        @Override
        public List<String> targets() {
            java.util.List<String> all = new java.util.ArrayList<>();
            keys.values().forEach(k -> all.add(k.next()));
            all.add(noInput);
            all.add(onInvalid);
            return all;
        }

        @Override
        public boolean takesInput() {
            return true;
        }

        public String escapeDigits() {
            StringBuilder sb = new StringBuilder();
            keys.keySet().forEach(sb::append);
            return sb.toString();
        }
    }

    /**
     * Reads digits ({@code #} ends early), checks them against {@code format} and stores the normalised value in
     * the call's attached data under {@code store}. Invalid or missing input retries; then {@code onFailure}.
     */
    record ReadDigits(String id, int line, PromptRef prompt, DigitsFormat format, int maxLength, Duration timeout,
            int retries, Optional<PromptRef> invalidPrompt, String store, String next, String onFailure)
            implements Node {
        @Override
        public List<String> targets() {
            return List.of(next, onFailure);
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    /** Attaches data to the call (shown on the screen-pop, kept on the ticket) and sets channel variables. */
    record SetData(String id, int line, Map<String, String> data, Map<String, String> variables, String next)
            implements Node {
        @Override
        public List<String> targets() {
            return List.of(next);
        }
    }

    /**
     * Ends the flow with a {@link org.hotlinecti.ivr.IvrOutcome.Route}: skill and level default to the line's (or
     * the main line's when {@code pool}), priority to the line's plus {@code priorityBoost}.
     */
    record Route(String id, int line, Optional<String> skill, Optional<Integer> minLevel, Optional<Integer> priority,
            int priorityBoost, boolean pool, Optional<String> queue, Map<String, String> data) implements Node {
        @Override
        public List<String> targets() {
            return List.of();
        }
    }

    /**
     * Ends the flow with a {@link org.hotlinecti.ivr.IvrOutcome.Transfer} to {@code number}, or to the line's
     * sub-centre when {@code subCentre}; {@code fallback} names a route node for when the far end does not answer.
     */
    record Transfer(String id, int line, Optional<PromptRef> prompt, Optional<String> number, boolean subCentre,
            String label, boolean threeParty, Optional<Duration> answerTimeout, Optional<String> fallback)
            implements Node {
        @Override
        public List<String> targets() {
            return fallback.map(List::of).orElse(List.of());
        }
    }

    /** Records a voicemail and ends with a {@link org.hotlinecti.ivr.IvrOutcome.Voicemail}. */
    record Voicemail(String id, int line, Optional<PromptRef> prompt, Duration maxLength, Duration silence,
            boolean beep, String reason, Optional<PromptRef> thanks) implements Node {
        @Override
        public List<String> targets() {
            return List.of();
        }
    }

    /**
     * The satisfaction survey: one key 1 非常满意 … 5 非常不满意, stored as {@code survey_score} (5 … 1) and channel
     * variable {@code SURVEY_SCORE}; then {@code next}, or the flow ends ({@code survey_done} / {@code survey_none}).
     */
    record Survey(String id, int line, PromptRef prompt, Optional<PromptRef> thanks, Duration timeout, int retries,
            Optional<PromptRef> invalidPrompt, Optional<String> next) implements Node {
        @Override
        public List<String> targets() {
            return next.map(List::of).orElse(List.of());
        }

        @Override
        public boolean takesInput() {
            return true;
        }
    }

    /**
     * Plays its prompts and ends with {@link org.hotlinecti.ivr.IvrOutcome.Ended} and {@code reason}; the CTI ends
     * the call (the dialplan hangs up once the AGI session is over), so the flow does not hang up itself.
     */
    record Hangup(String id, int line, List<PromptRef> prompts, String reason) implements Node {
        @Override
        public List<String> targets() {
            return List.of();
        }
    }

    /** One case of a condition: all of its tests hold. */
    record Case(Condition condition, String next, int line) {
    }

    /** Takes the first case that holds, else {@code otherwise}. */
    record Branch(String id, int line, List<Case> cases, String otherwise) implements Node {
        @Override
        public List<String> targets() {
            java.util.List<String> all = new java.util.ArrayList<>();
            cases.forEach(c -> all.add(c.next()));
            all.add(otherwise);
            return all;
        }
    }

    /** Continues with another flow from its start. */
    record Goto(String id, int line, String flow) implements Node {
        @Override
        public List<String> targets() {
            return List.of();
        }
    }
}
