package org.hotlinecti.sim.pbx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * Compares the AMI stream the sim PBX gave one client with the stream a real Asterisk gave in a trace.
 *
 * <p>Each message becomes an {@link Item} on a <em>lane</em>: the role of its channel ({@code caller},
 * {@code agent1}...), {@code bridge} for bridge events without a channel, {@code action:<ActionID>} for responses
 * and list events. Its text holds every field in order (channel names, Uniqueids and bridge ids as role tokens),
 * except the {@link Expectations#maskedFields() masked} ones. Two checks:
 * <ol>
 *   <li>per lane, the same items in the same order (this is "same events, fields and order" per channel);</li>
 *   <li>across lanes, the same interleaving, except for pairs of items the expectations tolerate in either order,
 *   each with its reason (Asterisk's own order there comes from a thread race).</li>
 * </ol>
 */
final class AmiStreamComparison {

    /** Events a stand-in need not give (see the test class for why), ignored in both streams. */
    static final Set<String> IGNORED_EVENTS = Set.of(
            // dozens per call, for dialplan variables; the sim keeps no VarSet stream
            "VarSet",
            // RTCP reports: the sim carries no media
            "RTCPSent", "RTCPReceived",
            // device states are not simulated
            "DeviceStateChange",
            // the sim's callers send DTMF as SIP INFO, which gives DTMFEnd only (flow 03)
            "DTMFBegin",
            // session/security events of the AMI server itself: compared by the ami package's own trace tests
            "FullyBooted", "SuccessfulAuth", "RequestBadFormat", "RequestNotAllowed", "InvalidPassword",
            "InvalidAccountID", "ChallengeResponseFailed", "ChallengeSent", "FailedACL", "UnexpectedAddress",
            "SessionLimit", "LoadAverageLimit", "AuthMethodNotAllowed");

    /** Fields whose values differ between any two runs, masked in every flow. */
    static final Map<String, String> ALWAYS_MASKED = Map.of(
            "Timestamp", "wall clock of the run",
            "CommandId", "a random number Asterisk picks per AGI command");

    private AmiStreamComparison() {
    }

    /** One normalized message. */
    record Item(String lane, String summary, String text) {
    }

    /** Two kinds of items whose relative order may differ from the trace, and why. */
    record Tolerance(Pattern first, Pattern second, String reason) {
        static Tolerance of(String firstSummaryRegex, String secondSummaryRegex, String reason) {
            return new Tolerance(Pattern.compile(firstSummaryRegex), Pattern.compile(secondSummaryRegex), reason);
        }

        boolean covers(Item a, Item b) {
            return (first.matcher(a.summary()).matches() && second.matcher(b.summary()).matches())
                    || (first.matcher(b.summary()).matches() && second.matcher(a.summary()).matches());
        }
    }

    /**
     * What a flow's comparison allows.
     *
     * @param maskedFields  field name ({@code Field} in every event, {@code Event.Field} in one kind of event) to the
     *                      reason its value is not compared (in addition to {@link #ALWAYS_MASKED})
     * @param simRewrite    applied to each sim item's text before comparing, for a documented change the test made
     *                      to the scenario (e.g. a shorter Dial timeout); identity if none
     * @param tolerances    cross-lane order differences allowed
     */
    record Expectations(Map<String, String> maskedFields, UnaryOperator<String> simRewrite,
            List<Tolerance> tolerances) {

        static Expectations strict() {
            return new Expectations(Map.of(), UnaryOperator.identity(), List.of());
        }

        Expectations masking(String field, String reason) {
            Map<String, String> m = new LinkedHashMap<>(maskedFields);
            m.put(field, reason);
            return new Expectations(m, simRewrite, tolerances);
        }

        Expectations rewritingSim(UnaryOperator<String> rewrite, String reason) {
            java.util.Objects.requireNonNull(reason, "reason");
            UnaryOperator<String> before = simRewrite;
            return new Expectations(maskedFields, s -> rewrite.apply(before.apply(s)), tolerances);
        }

        Expectations tolerating(String firstSummaryRegex, String secondSummaryRegex, String reason) {
            List<Tolerance> t = new ArrayList<>(tolerances);
            t.add(Tolerance.of(firstSummaryRegex, secondSummaryRegex, reason));
            return new Expectations(maskedFields, simRewrite, t);
        }
    }

    /** The stream as items; messages of {@link #IGNORED_EVENTS} are left out. */
    static List<Item> items(List<AmiMessage> stream, Expectations expectations, boolean sim) {
        ChannelRoles roles = new ChannelRoles();
        List<Item> out = new ArrayList<>();
        for (AmiMessage m : stream) {
            roles.learn(m);
            String event = m.getOrEmpty("Event");
            if (IGNORED_EVENTS.contains(event)) {
                continue;
            }
            String lane = lane(m, roles);
            StringBuilder text = new StringBuilder();
            for (Map.Entry<String, String> f : m.fields()) {
                String key = f.getKey();
                if (ALWAYS_MASKED.containsKey(key) || expectations.maskedFields().containsKey(key)
                        || expectations.maskedFields().containsKey(event + "." + key)) {
                    text.append(key).append(": *\n");
                } else {
                    text.append(key).append(": ").append(roles.normalize(key, f.getValue())).append('\n');
                }
            }
            String t = sim ? expectations.simRewrite().apply(text.toString()) : text.toString();
            out.add(new Item(lane, summary(m, lane), t));
        }
        return out;
    }

    private static String lane(AmiMessage m, ChannelRoles roles) {
        String event = m.getOrEmpty("Event");
        if (m.get("Response").isPresent() && event.isEmpty()) {
            return "action:" + m.getOrEmpty("ActionID");
        }
        if (m.get("EventList").isPresent()) {
            return "action:" + m.getOrEmpty("ActionID");
        }
        String role = roles.roleOfChannel(m.getOrEmpty("Channel"));
        if (role == null) {
            role = roles.roleOfChannel(m.getOrEmpty("DestChannel"));
        }
        if (role != null) {
            return role;
        }
        if (event.startsWith("Bridge")) {
            return "bridge";
        }
        if (event.equals("OriginateResponse")) {
            return "originate:" + m.getOrEmpty("ActionID");
        }
        return "other";
    }

    private static String summary(AmiMessage m, String lane) {
        String event = m.getOrEmpty("Event");
        if (event.isEmpty()) {
            return "Response " + m.getOrEmpty("ActionID") + " " + m.getOrEmpty("Response");
        }
        StringBuilder s = new StringBuilder(event).append(' ').append(lane);
        m.get("Application").ifPresent(a -> s.append(' ').append(a));
        m.get("DialStatus").ifPresent(a -> s.append(' ').append(a));
        m.get("Command").ifPresent(a -> s.append(" '").append(a).append('\''));
        return s.toString();
    }

    /**
     * Compares; returns the differences as readable lines (empty when faithful) and the tolerated reorderings that
     * happened, in {@code toleratedSeen}.
     */
    static List<String> compare(List<Item> trace, List<Item> sim, Expectations expectations,
            List<String> toleratedSeen) {
        List<String> problems = new ArrayList<>();
        Set<String> lanes = new LinkedHashSet<>();
        trace.forEach(i -> lanes.add(i.lane()));
        sim.forEach(i -> lanes.add(i.lane()));
        Map<String, List<Integer>> traceByLane = byLane(trace);
        Map<String, List<Integer>> simByLane = byLane(sim);
        for (String lane : lanes) {
            List<Integer> t = traceByLane.getOrDefault(lane, List.of());
            List<Integer> s = simByLane.getOrDefault(lane, List.of());
            if (!texts(trace, t).equals(texts(sim, s))) {
                problems.add("lane " + lane + ": trace has " + t.size() + " items, sim " + s.size() + "\n"
                        + laneDiff(trace, t, sim, s));
            }
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        // every lane matches item for item: check the interleaving
        int[] simIndexOfTrace = new int[trace.size()];
        for (String lane : lanes) {
            List<Integer> t = traceByLane.get(lane);
            List<Integer> s = simByLane.get(lane);
            for (int k = 0; k < t.size(); k++) {
                simIndexOfTrace[t.get(k)] = s.get(k);
            }
        }
        for (int i = 0; i < trace.size(); i++) {
            for (int j = i + 1; j < trace.size(); j++) {
                if (simIndexOfTrace[i] < simIndexOfTrace[j]) {
                    continue;
                }
                Item a = trace.get(i);
                Item b = trace.get(j);
                Tolerance tol = expectations.tolerances().stream().filter(x -> x.covers(a, b)).findFirst()
                        .orElse(null);
                String what = "[" + a.summary() + "] before [" + b.summary() + "]";
                if (tol == null) {
                    problems.add("order: the trace has " + what + ", the sim the other way round");
                } else {
                    toleratedSeen.add(what + ": " + tol.reason());
                }
            }
        }
        return problems;
    }

    private static Map<String, List<Integer>> byLane(List<Item> items) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            out.computeIfAbsent(items.get(i).lane(), k -> new ArrayList<>()).add(i);
        }
        return out;
    }

    private static List<String> texts(List<Item> items, List<Integer> indexes) {
        return indexes.stream().map(i -> items.get(i).text()).toList();
    }

    /**
     * The lane aligned on its longest common subsequence: {@code =} same item, {@code -} only in the trace,
     * {@code +} only in the sim; a trace and a sim item of the same event in one gap are shown as a field diff.
     */
    private static String laneDiff(List<Item> trace, List<Integer> t, List<Item> sim, List<Integer> s) {
        int n = t.size();
        int m = s.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = trace.get(t.get(i)).text().equals(sim.get(s.get(j)).text()) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        StringBuilder sb = new StringBuilder();
        List<Item> onlyTrace = new ArrayList<>();
        List<Item> onlySim = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && trace.get(t.get(i)).text().equals(sim.get(s.get(j)).text())) {
                flushGap(sb, onlyTrace, onlySim);
                sb.append("    = ").append(trace.get(t.get(i)).summary()).append('\n');
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                onlySim.add(sim.get(s.get(j++)));
            } else {
                onlyTrace.add(trace.get(t.get(i++)));
            }
        }
        flushGap(sb, onlyTrace, onlySim);
        return sb.toString();
    }

    private static void flushGap(StringBuilder sb, List<Item> onlyTrace, List<Item> onlySim) {
        List<Item> sims = new ArrayList<>(onlySim);
        for (Item a : onlyTrace) {
            Item twin = sims.stream().filter(b -> b.summary().equals(a.summary())).findFirst().orElse(null);
            if (twin != null) {
                sims.remove(twin);
                sb.append("    ~ ").append(a.summary()).append(", fields differ:\n")
                        .append(fieldDiff(a.text(), twin.text()));
            } else {
                sb.append("    - ").append(a.summary()).append("   (only in the trace)\n");
            }
        }
        for (Item b : sims) {
            sb.append("    + ").append(b.summary()).append("   (only in the sim)\n");
        }
        onlyTrace.clear();
        onlySim.clear();
    }

    /** The lines of two item texts that differ, {@code -} trace, {@code +} sim, aligned by field position. */
    private static String fieldDiff(String trace, String sim) {
        String[] a = trace.split("\n");
        String[] b = sim.split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String x = i < a.length ? a[i] : "(none)";
            String y = i < b.length ? b[i] : "(none)";
            if (!x.equals(y)) {
                sb.append("        trace ").append(x).append("\n        sim   ").append(y).append('\n');
            }
        }
        return sb.toString();
    }
}
