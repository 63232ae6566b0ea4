package org.hotlinecti.sim.pbx.ami;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads the recorded Asterisk 22 traces from the folder named by {@code hotline.traces.dir}. */
public final class Traces {

    private Traces() {
    }

    public static byte[] bytes(String flow, String file) {
        String dir = System.getProperty("hotline.traces.dir");
        if (dir == null) {
            throw new IllegalStateException("hotline.traces.dir is not set (the parent POM sets it for surefire)");
        }
        Path p = Path.of(dir, flow, file);
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException("trace " + p + " cannot be read", e);
        }
    }

    public static String text(String flow, String file) {
        return new String(bytes(flow, file), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * The raw blocks of an {@code actions*.log}: each {@code ==== <time> SENT (raw) ====} or {@code RECEIVED ...}
     * marker line followed by the exact bytes up to the next marker.
     */
    public static List<Block> actionBlocks(String flow, String file) {
        String text = text(flow, file);
        List<Block> blocks = new ArrayList<>();
        String[] parts = text.split("(?m)^==== ");
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            int eol = part.indexOf('\n');
            String marker = part.substring(0, eol);
            blocks.add(new Block(marker.contains(" SENT "), marker, part.substring(eol + 1)));
        }
        return blocks;
    }

    /** One block of an actions log: what was sent (an action) or received (a response or list event). */
    public record Block(boolean sent, String marker, String raw) {
    }
}
