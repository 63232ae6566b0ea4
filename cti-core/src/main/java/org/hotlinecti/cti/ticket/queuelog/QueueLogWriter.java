package org.hotlinecti.cti.ticket.queuelog;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.hotlinecti.cti.ticket.ledger.CallEvent;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the call ledger as Asterisk's {@code queue_log} file, so that queue-reporting tools written for Asterisk's
 * app_queue work unchanged: one line per event, {@code epoch|callid|queue|agent|event|data1|data2|...}, where callid
 * is the caller's channel uniqueid (the Linkedid), queue is the skill the call waits for, and agent is
 * {@code Agent/<id>} ({@code NONE} when there is none).
 *
 * <p>Events and their data fields, as app_queue writes them:
 * <ul>
 *   <li>{@code ENTERQUEUE|url|callerid|position} when a call is queued (url empty, position 1: the CTI's queues are
 *       not FIFO lines);</li>
 *   <li>{@code CONNECT|holdtime|bridgedchanneluniqueid|ringtime} on answer (seconds);</li>
 *   <li>{@code RINGNOANSWER|ringtime} when an offered phone rang out (milliseconds);</li>
 *   <li>{@code COMPLETECALLER|holdtime|calltime|origposition} or {@code COMPLETEAGENT|...} when an answered call ends,
 *       by who hung up;</li>
 *   <li>{@code ABANDON|position|origposition|waittime} when a queued call ends unanswered;</li>
 *   <li>{@code AGENTLOGIN|channel}, {@code AGENTLOGOFF|channel|logintime}, {@code PAUSE|reason},
 *       {@code UNPAUSE|reason} for agents (queue {@code NONE}, callid {@code NONE}).</li>
 * </ul>
 * Calls that end in the IVR never entered a queue and leave no line, as with Asterisk. Lines go to the file at once
 * (the page cache; no fsync: the journaled ledger in the database is the durable record, this file is a report).
 *
 * <p>Thread-safe; {@link #eventsOf} is not supported (the file is write-only for the CTI).
 */
public final class QueueLogWriter implements CallLedger, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(QueueLogWriter.class);
    private static final int MAX_OPEN_CALLS = 100_000;

    private final OutputStream out;
    private final Path file;
    /** What each open call needs for its later lines, by Linkedid. */
    private final Map<String, CallState> open = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, CallState> eldest) {
            return size() > MAX_OPEN_CALLS;
        }
    };
    private final Map<String, Instant> loggedIn = new LinkedHashMap<>();

    private static final class CallState {
        String queue;
        Instant queuedAt;
        Instant offeredAt;
        Instant answeredAt;
        String agent;
    }

    private QueueLogWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /** Appends to {@code file} (created with its directories if missing). */
    public static QueueLogWriter open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return new QueueLogWriter(file, Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE));
    }

    @Override
    public synchronized void record(CallEvent e) {
        for (String line : lines(e)) {
            try {
                out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException io) {
                LOG.error("Cannot write queue_log {}: {}", file, io.toString());
                return;
            }
        }
    }

    @Override
    public List<CallEvent> eventsOf(String linkedId) {
        throw new UnsupportedOperationException("queue_log is write-only; read the ledger in the database");
    }

    /** The queue_log lines for one event (none for events app_queue would not log); updates the open calls. */
    synchronized List<String> lines(CallEvent e) {
        List<String> lines = new ArrayList<>();
        String agent = e.agent() == null ? "NONE" : "Agent/" + e.agent();
        switch (e.kind()) {
            case QUEUED -> {
                CallState s = open.computeIfAbsent(e.linkedId(), id -> new CallState());
                s.queue = queueName(e.queue());
                s.queuedAt = e.occurredAt();
                lines.add(line(e, s.queue, "NONE", "ENTERQUEUE", "", e.detail().getOrDefault("caller", ""), "1"));
            }
            case OFFERED -> {
                CallState s = open.get(e.linkedId());
                if (s != null) {
                    s.offeredAt = e.occurredAt();
                }
            }
            case OFFER_FAILED -> {
                CallState s = open.get(e.linkedId());
                if (s != null && "no_answer".equals(e.detail().get("reason"))) {
                    long ringMillis = s.offeredAt == null ? 0 : millis(s.offeredAt, e.occurredAt());
                    lines.add(line(e, s.queue, agent, "RINGNOANSWER", "" + ringMillis));
                }
            }
            case ANSWERED -> {
                CallState s = open.get(e.linkedId());
                if (s != null) {
                    s.answeredAt = e.occurredAt();
                    s.agent = agent;
                    lines.add(line(e, s.queue, agent, "CONNECT", "" + seconds(s.queuedAt, e.occurredAt()),
                            e.detail().getOrDefault("agent_channel", ""),
                            "" + seconds(s.offeredAt, e.occurredAt())));
                }
            }
            case ENDED -> {
                CallState s = open.remove(e.linkedId());
                if (s == null) {
                    break;
                }
                if (s.answeredAt != null) {
                    String event = "agent".equals(e.detail().get("ended_by")) ? "COMPLETEAGENT" : "COMPLETECALLER";
                    lines.add(line(e, s.queue, s.agent, event, "" + seconds(s.queuedAt, s.answeredAt),
                            "" + seconds(s.answeredAt, e.occurredAt()), "1"));
                } else {
                    lines.add(line(e, s.queue, "NONE", "ABANDON", "1", "1", "" + seconds(s.queuedAt, e.occurredAt())));
                }
            }
            case AGENT_LOGIN -> {
                loggedIn.put(e.agent(), e.occurredAt());
                lines.add(line(e, "NONE", agent, "AGENTLOGIN", agent));
            }
            case AGENT_LOGOFF -> {
                Instant since = loggedIn.remove(e.agent());
                lines.add(line(e, "NONE", agent, "AGENTLOGOFF", agent, "" + seconds(since, e.occurredAt())));
            }
            case PAUSE -> lines.add(line(e, "NONE", agent, "PAUSE", e.detail().getOrDefault("reason", "")));
            case UNPAUSE -> lines.add(line(e, "NONE", agent, "UNPAUSE", e.detail().getOrDefault("reason", "")));
            case ENTERED_IVR, TRANSFERRED -> {
                // app_queue logs neither: the IVR is before the queue, and transfers are logged by the PBX
            }
        }
        return lines;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            LOG.warn("Cannot close queue_log {}: {}", file, e.toString());
        }
    }

    private static String line(CallEvent e, String queue, String agent, String event, String... data) {
        StringBuilder b = new StringBuilder();
        b.append(e.occurredAt().getEpochSecond()).append('|')
                .append(e.linkedId().isEmpty() ? "NONE" : clean(e.linkedId())).append('|')
                .append(clean(queue)).append('|').append(clean(agent)).append('|').append(event);
        for (String d : data) {
            b.append('|').append(clean(d));
        }
        return b.toString();
    }

    private static String queueName(String queue) {
        return queue == null || queue.isBlank() ? "NONE" : queue;
    }

    /** A field must not hold the separator or a line break. */
    private static String clean(String s) {
        return s.replace('|', '/').replace('\n', ' ').replace('\r', ' ');
    }

    private static long seconds(Instant from, Instant to) {
        return from == null ? 0 : Math.max(0, Duration.between(from, to).toSeconds());
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }
}
