package org.hotlinecti.sim.pbx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * One flow recorded from a real Asterisk 22 in {@code testdata/asterisk-traces/<folder>}: the AMI stream of the
 * logged-in connection, the actions it sent with their responses, and the FastAGI transcripts.
 */
final class TracedFlow {

    private final String folder;

    private TracedFlow(String folder) {
        this.folder = folder;
    }

    static TracedFlow of(String folder) {
        return new TracedFlow(folder);
    }

    String folder() {
        return folder;
    }

    static Path tracesDir() {
        String dir = System.getProperty("hotline.traces.dir");
        if (dir == null) {
            throw new IllegalStateException("hotline.traces.dir is not set (the parent POM sets it for surefire)");
        }
        return Path.of(dir);
    }

    /** The dialplan the traces were captured with ({@code config/extensions.conf}). */
    static String dialplanText() {
        return read(tracesDir().resolve("config").resolve("extensions.conf"));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("trace " + p + " cannot be read", e);
        }
    }

    /** Every message of {@code ami.log} after the banner, in stream order. */
    List<AmiMessage> ami() {
        String raw = read(tracesDir().resolve(folder).resolve("ami.log"));
        int banner = raw.indexOf("\r\n");
        List<AmiMessage> out = new ArrayList<>();
        for (String block : raw.substring(banner + 2).split("\r\n\r\n")) {
            if (!block.isBlank()) {
                out.add(parse(block, "\r\n"));
            }
        }
        return out;
    }

    /** The actions the capture tool sent, in order (from {@code actions.log}). */
    List<AmiMessage> sentActions() {
        List<AmiMessage> out = new ArrayList<>();
        for (String[] block : actionBlocks()) {
            if (block[0].contains(" SENT ")) {
                out.add(parse(block[1], "\r\n"));
            }
        }
        return out;
    }

    /** The action sent with this ActionID. */
    AmiMessage action(String actionId) {
        for (AmiMessage a : sentActions()) {
            if (a.getOrEmpty("ActionID").equals(actionId)) {
                return a;
            }
        }
        throw new IllegalArgumentException(folder + "/actions.log has no action with ActionID " + actionId);
    }

    /** The response blocks received for each ActionID (response, then list events), in order. */
    Map<String, List<AmiMessage>> responses() {
        Map<String, List<AmiMessage>> out = new LinkedHashMap<>();
        for (String[] block : actionBlocks()) {
            if (block[0].contains(" RECEIVED ")) {
                AmiMessage m = parse(block[1], "\r\n");
                out.computeIfAbsent(m.getOrEmpty("ActionID"), k -> new ArrayList<>()).add(m);
            }
        }
        return out;
    }

    /** {@code [marker, raw]} pairs of actions.log. */
    private List<String[]> actionBlocks() {
        String text = read(tracesDir().resolve(folder).resolve("actions.log"));
        List<String[]> blocks = new ArrayList<>();
        for (String part : text.split("(?m)^==== ")) {
            if (part.isEmpty()) {
                continue;
            }
            int eol = part.indexOf('\n');
            blocks.add(new String[] {part.substring(0, eol), part.substring(eol + 1)});
        }
        return blocks;
    }

    /** The FastAGI sessions in arrival order ({@code agi-1.log}, {@code agi-2.log}, ...). */
    List<AgiTranscript> agiSessions() {
        List<AgiTranscript> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            Path p = tracesDir().resolve(folder).resolve("agi-" + n + ".log");
            if (!Files.exists(p)) {
                return out;
            }
            out.add(AgiTranscript.parseLog(read(p)));
        }
    }

    static AmiMessage parse(String block, String eol) {
        AmiMessage.Builder b = AmiMessage.builder();
        for (String line : block.split(eol)) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(": ");
            if (colon < 0) {
                throw new IllegalArgumentException("not a 'Key: Value' line: " + line);
            }
            b.add(line.substring(0, colon), line.substring(colon + 2));
        }
        return b.build();
    }
}
