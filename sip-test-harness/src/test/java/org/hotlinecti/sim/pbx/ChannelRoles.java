package org.hotlinecti.sim.pbx;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * Names the channels of one AMI stream by their part in the call, so that two streams with different channel
 * numbers, Uniqueids and bridge ids can be compared: the trunk channel is {@code caller}, the other channels are
 * {@code agent1}, {@code agent2}... in the order of their Newchannel, bridges {@code bridge1}... in the order of
 * their BridgeCreate. Learns from the stream as it goes; thread-safe.
 */
final class ChannelRoles {

    private static final Set<String> ID_FIELDS = Set.of("Uniqueid", "Linkedid", "DestUniqueid", "DestLinkedid");
    private static final Pattern PARENTHESIZED = Pattern.compile("\\(([^()]*)\\)");

    private final Map<String, String> channelToRole = new LinkedHashMap<>();
    private final Map<String, String> roleToChannel = new LinkedHashMap<>();
    private final Map<String, String> idToRole = new LinkedHashMap<>();
    private final Map<String, String> bridgeToRole = new LinkedHashMap<>();
    private int callers;
    private int agents;

    /** Learns the names a Newchannel or BridgeCreate introduces. */
    synchronized void learn(AmiMessage m) {
        String event = m.getOrEmpty("Event");
        if (event.equals("Newchannel")) {
            String channel = m.getOrEmpty("Channel");
            if (!channelToRole.containsKey(channel)) {
                String role = channel.startsWith("PJSIP/trunk-")
                        ? (++callers == 1 ? "caller" : "caller" + callers)
                        : "agent" + ++agents;
                channelToRole.put(channel, role);
                roleToChannel.put(role, channel);
                idToRole.put(m.getOrEmpty("Uniqueid"), role);
            }
        } else if (event.equals("BridgeCreate")) {
            bridgeToRole.putIfAbsent(m.getOrEmpty("BridgeUniqueid"), "bridge" + (bridgeToRole.size() + 1));
        }
    }

    synchronized String roleOfChannel(String channel) {
        return channelToRole.get(channel);
    }

    synchronized String channelOf(String role) {
        String c = roleToChannel.get(role);
        if (c == null) {
            throw new IllegalStateException("no channel has the role " + role + " yet; known: " + roleToChannel);
        }
        return c;
    }

    synchronized Map<String, String> channelsByName() {
        return Map.copyOf(channelToRole);
    }

    /** The value of an AMI field with channel names, Uniqueids and bridge ids replaced by {@code {role}} tokens. */
    synchronized String normalize(String key, String value) {
        if (ID_FIELDS.contains(key) && idToRole.containsKey(value)) {
            return "{" + idToRole.get(value) + "#id}";
        }
        if (key.equals("BridgeUniqueid") && bridgeToRole.containsKey(value)) {
            return "{" + bridgeToRole.get(value) + "}";
        }
        return replaceChannelNames(value);
    }

    /** A FastAGI line with channel names and parenthesized Uniqueids ({@code 200 result=1 (<id>)}) replaced. */
    synchronized String normalizeAgi(String line) {
        Matcher m = PARENTHESIZED.matcher(replaceChannelNames(line));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String role = idToRole.get(m.group(1));
            m.appendReplacement(sb, Matcher.quoteReplacement(role == null ? m.group() : "({" + role + "#id})"));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    synchronized String roleOfId(String uniqueId) {
        return idToRole.get(uniqueId);
    }

    private String replaceChannelNames(String value) {
        String out = value;
        // longest first, so that no name is replaced inside a longer one
        for (String name : channelToRole.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            if (out.contains(name)) {
                out = out.replace(name, "{" + channelToRole.get(name) + "}");
            }
        }
        return out;
    }
}
