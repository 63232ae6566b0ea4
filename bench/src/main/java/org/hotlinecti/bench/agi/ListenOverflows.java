package org.hotlinecti.bench.agi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The kernel's count of connections dropped because a listening socket's accept queue was full
 * ({@code TcpExtListenOverflows} in {@code /proc/net/netstat}, Linux; network-namespace wide). A dropped SYN is
 * retried by the client after 1 s, then 3 s, so every overflow shows up as a session whose connect took a second or
 * more: a server whose accept loop falls behind its backlog gets those tails, not the prompts it plays.
 */
final class ListenOverflows {

    private static final Path NETSTAT = Path.of("/proc/net/netstat");

    private ListenOverflows() {
    }

    /** The counter now, or -1 where the system does not expose it. */
    static long now() {
        try {
            List<String> lines = Files.readAllLines(NETSTAT);
            for (int i = 0; i + 1 < lines.size(); i += 2) {
                String[] names = lines.get(i).trim().split("\\s+");
                String[] values = lines.get(i + 1).trim().split("\\s+");
                if (!names[0].equals("TcpExt:") || names.length != values.length) {
                    continue;
                }
                for (int k = 1; k < names.length; k++) {
                    if (names[k].equals("ListenOverflows")) {
                        return Long.parseLong(values[k]);
                    }
                }
            }
            return -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
