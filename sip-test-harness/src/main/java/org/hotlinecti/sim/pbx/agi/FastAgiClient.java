package org.hotlinecti.sim.pbx.agi;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sim PBX's side of FastAGI, what Asterisk's {@code AGI(agi://host:port/script)} application does: connect to
 * the FastAGI server, send the {@code agi_*} environment, then answer the server's commands one line at a time on
 * the given channel until the server closes the connection.
 *
 * <p>Behaviour follows the Asterisk 22 traces: replies are worded as res_agi words them; when the channel becomes
 * dead for AGI (hung up, or taken by an AMI Redirect) the command running returns {@code 200 result=-1}, then one
 * unsolicited {@code HANGUP} line is sent right after the server's next command arrives, before that command's
 * reply; from then on media commands get {@code 511} while VERBOSE, SET/GET (FULL) VARIABLE, EXEC and NOOP still
 * work. Each command is reported to {@link AgiChannelPort#execStarted} / {@link AgiChannelPort#execEnded} (AMI
 * {@code AGIExecStart} / {@code AGIExecEnd}).
 *
 * <h2>Threading</h2>
 * {@link #run} blocks the calling thread for the whole session, as the AGI() application blocks the channel's
 * dialplan thread; every {@link AgiChannelPort} method is called on that thread. If the thread is interrupted the
 * session is closed at the next poll and the interrupt flag stays set.
 */
public final class FastAgiClient {

    private static final Logger log = LoggerFactory.getLogger(FastAgiClient.class);

    /** How long a FastAGI server may stay silent after the channel died before the session is closed. */
    public static final Duration DEFAULT_DEAD_CHANNEL_GRACE = Duration.ofSeconds(2);

    /** The {@code agi_*} variables in the order Asterisk sends them. */
    static final List<String> ENVIRONMENT_ORDER = List.of("network", "network_script", "request", "channel",
            "language", "type", "uniqueid", "version", "callerid", "calleridname", "callingpres", "callingani2",
            "callington", "callingtns", "dnid", "rdnis", "context", "extension", "priority", "enhanced",
            "accountcode", "threadid");

    private static final int POLL_MILLIS = 50;
    private static final int MAX_LINE_BYTES = 64 * 1024;

    private final AgiUrl url;
    private final List<String> args;
    private final AgiChannelPort channel;
    private final Duration connectTimeout;
    private final Duration deadChannelGrace;

    private FastAgiClient(AgiUrl url, List<String> args, AgiChannelPort channel, Duration connectTimeout,
            Duration deadChannelGrace) {
        this.url = url;
        this.args = args;
        this.channel = channel;
        this.connectTimeout = connectTimeout;
        this.deadChannelGrace = deadChannelGrace;
    }

    /**
     * Runs one FastAGI session, like {@code AGI(<agiUrl>)}.
     *
     * @param agiUrl {@code agi://host[:port]/script[?args]}; port 4573 when absent
     * @param channel the channel the commands act on
     * @param connectTimeout how long to wait for the TCP connection
     * @return SUCCESS when the server closed the session on a live channel, HANGUP when the channel was dead for
     *     AGI by then, FAILURE when no session could be had or it broke
     * @throws IllegalArgumentException if {@code agiUrl} is not a FastAGI URL
     */
    public static AgiResult run(String agiUrl, AgiChannelPort channel, Duration connectTimeout) {
        return run(agiUrl, List.of(), channel, connectTimeout, DEFAULT_DEAD_CHANNEL_GRACE);
    }

    /**
     * Like {@link #run(String, AgiChannelPort, Duration)}, for {@code AGI(<agiUrl>,arg1,arg2...)}: the arguments are
     * sent as {@code agi_arg_1}, {@code agi_arg_2}... after the standard variables.
     */
    public static AgiResult run(String agiUrl, List<String> args, AgiChannelPort channel, Duration connectTimeout) {
        return run(agiUrl, args, channel, connectTimeout, DEFAULT_DEAD_CHANNEL_GRACE);
    }

    /**
     * Like {@link #run(String, List, AgiChannelPort, Duration)}, with the time a FastAGI server may stay silent
     * after the channel died before the session is closed (Asterisk would wait for ever).
     */
    public static AgiResult run(String agiUrl, List<String> args, AgiChannelPort channel, Duration connectTimeout,
            Duration deadChannelGrace) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(deadChannelGrace, "deadChannelGrace");
        AgiUrl url = AgiUrl.parse(agiUrl);
        return new FastAgiClient(url, List.copyOf(args), channel, connectTimeout, deadChannelGrace).session();
    }

    private AgiResult session() {
        Map<String, String> env = environment();
        String channelName = env.getOrDefault("channel", "");
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(url.host(), url.port()), (int) Math.max(1, connectTimeout.toMillis()));
        } catch (IOException e) {
            log.warn("FastAGI {} for {}: cannot connect: {}", url.request(), channelName, e.toString());
            closeQuietly(socket);
            return AgiResult.FAILURE;
        }
        try (socket) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(POLL_MILLIS);
            OutputStream out = socket.getOutputStream();
            StringBuilder header = new StringBuilder(1024);
            env.forEach((k, v) -> header.append("agi_").append(k).append(": ").append(v).append('\n'));
            header.append('\n');
            out.write(header.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return commandLoop(new AgiLineReader(socket.getInputStream(), MAX_LINE_BYTES), out,
                    new AgiCommands(channel, channelName), channelName);
        } catch (IOException e) {
            log.warn("FastAGI {} for {}: {}", url.request(), channelName, e.toString());
            return AgiResult.FAILURE;
        }
    }

    private AgiResult commandLoop(AgiLineReader in, OutputStream out, AgiCommands commands, String channelName)
            throws IOException {
        AgiResult status = AgiResult.SUCCESS;
        boolean dead = false;
        boolean hangupSent = false;
        long deadSince = 0;
        long lastActivity = System.nanoTime();
        while (true) {
            String line;
            try {
                line = in.readLine();
            } catch (SocketTimeoutException idle) {
                if (!dead && !channel.isAlive()) {
                    dead = true;
                    deadSince = System.nanoTime();
                    status = status == AgiResult.SUCCESS ? AgiResult.HANGUP : status;
                }
                if (dead && System.nanoTime() - Math.max(lastActivity, deadSince) >= deadChannelGrace.toNanos()) {
                    log.info("FastAGI {} for {}: server silent {} after the channel died; closing", url.request(),
                            channelName, deadChannelGrace);
                    return status;
                }
                if (Thread.currentThread().isInterrupted()) {
                    log.info("FastAGI {} for {}: interrupted; closing", url.request(), channelName);
                    return dead ? status : AgiResult.FAILURE;
                }
                continue;
            } catch (AgiLineReader.LineTooLongException e) {
                log.warn("FastAGI {} for {}: {}; closing", url.request(), channelName, e.getMessage());
                return AgiResult.FAILURE;
            }
            if (line == null) {
                break;
            }
            if (!dead && !channel.isAlive()) {
                dead = true;
                deadSince = System.nanoTime();
                status = status == AgiResult.SUCCESS ? AgiResult.HANGUP : status;
            }
            if (dead && !hangupSent) {
                hangupSent = true;
                if (!write(out, "HANGUP\n")) {
                    break;
                }
            }
            int commandId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            channel.execStarted(commandId, line);
            AgiOutcome outcome;
            try {
                outcome = commands.execute(line, dead);
            } catch (RuntimeException e) {
                log.error("FastAGI {} for {}: command '{}' failed in the channel", url.request(), channelName,
                        LogMasking.masked(line), e);
                outcome = AgiOutcome.failed("result=-1");
            }
            boolean written = write(out, outcome.reply());
            channel.execEnded(commandId, line, outcome.resultCode(), outcome.result());
            if (outcome.failure() && (dead || channel.isAlive())) {
                // Asterisk's rule: a failed command counts as a failure only if the channel did not hang up.
                status = AgiResult.FAILURE;
            }
            lastActivity = System.nanoTime();
            if (!written) {
                break;
            }
        }
        if (!dead && !channel.isAlive()) {
            status = status == AgiResult.SUCCESS ? AgiResult.HANGUP : status;
        }
        log.debug("FastAGI {} for {} ended: {}", url.request(), channelName, status);
        return status;
    }

    /** Writes a reply; false if the server is gone (it may close without reading our last reply, as in Asterisk). */
    private boolean write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
            return true;
        } catch (IOException e) {
            log.debug("FastAGI {}: server gone while writing: {}", url.request(), e.toString());
            return false;
        }
    }

    /** The channel's {@code agi_*} values in Asterisk's order, completed from the URL, then extra ones and args. */
    private Map<String, String> environment() {
        Map<String, String> given = channel.agiEnvironment();
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : ENVIRONMENT_ORDER) {
            String value = given.get(key);
            if (value == null) {
                value = switch (key) {
                    case "network" -> "yes";
                    case "network_script" -> url.script();
                    case "request" -> url.request();
                    case "enhanced" -> "0.0";
                    default -> "";
                };
            }
            env.put(key, value);
        }
        given.forEach((k, v) -> {
            if (!env.containsKey(k)) {
                env.put(k, v == null ? "" : v);
            }
        });
        for (int i = 0; i < args.size(); i++) {
            env.put("arg_" + (i + 1), args.get(i));
        }
        return env;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }
}
