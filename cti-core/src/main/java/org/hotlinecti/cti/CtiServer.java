package org.hotlinecti.cti;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.hotlinecti.cti.api.DesktopGateway;
import org.hotlinecti.cti.api.StatusSource;
import org.hotlinecti.cti.api.AmiStatus;
import org.hotlinecti.cti.api.CtiStatus;
import org.hotlinecti.cti.asterisk.AgentDeviceReconciler;
import org.hotlinecti.cti.asterisk.AmiPbxAdapter;
import org.hotlinecti.cti.asterisk.ami.AmiHealth;
import org.hotlinecti.cti.asterisk.AmiSettings;
import org.hotlinecti.cti.asterisk.agi.FastAgiServer;
import org.hotlinecti.cti.asterisk.agi.FastAgiSettings;
import org.hotlinecti.cti.call.CallService;
import org.hotlinecti.cti.call.DesktopFanout;
import org.hotlinecti.cti.call.HotlineIvr;
import org.hotlinecti.cti.call.FlowInterpreterRunner;
import org.hotlinecti.cti.call.IvrReloader;
import org.hotlinecti.cti.call.QueueVoicemailFlow;
import org.hotlinecti.cti.config.CtiConfig;
import org.hotlinecti.cti.ticket.TicketStore;
import org.hotlinecti.cti.ticket.jdbc.Database;
import org.hotlinecti.cti.ticket.jdbc.DbSettings;
import org.hotlinecti.cti.ticket.jdbc.JdbcTicketStore;
import org.hotlinecti.cti.ticket.journal.DurableTicketStore;
import org.hotlinecti.cti.ticket.journal.JournalOptions;
import org.hotlinecti.cti.ticket.ledger.CallLedger;
import org.hotlinecti.cti.ticket.ledger.CallLedgers;
import org.hotlinecti.cti.ticket.ledger.JdbcCallLedger;
import org.hotlinecti.cti.ticket.queuelog.QueueLogWriter;
import org.hotlinecti.cti.util.DaemonThreads;
import org.hotlinecti.cti.web.WebServer;
import org.hotlinecti.recording.RecordingLayout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CTI, assembled: database and ticket store, the call model, the FastAGI server running the IVR, the web server
 * for desktops and monitors, and the AMI session to Asterisk. Starting it connects to Asterisk last, so that the CTI
 * is ready for the first event it receives.
 */
public final class CtiServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CtiServer.class);
    /** An agent offered or talking for less than this is not released by an idle phone (see releaseIdleAgent). */
    private static final java.time.Duration AGENT_IDLE_GRACE = java.time.Duration.ofSeconds(3);

    private final Database database;
    private final DurableTicketStore tickets;
    private final QueueLogWriter queueLog;
    private final ExecutorService ticketIo;
    private final ExecutorService webIo;
    private final CallService calls;
    private final FastAgiServer agi;
    private final Vertx vertx;
    private final WebServer web;
    private final AmiPbxAdapter ami;
    private final DesktopFanout desktops;
    private final IvrReloader ivrReloader;

    private CtiServer(Database database, DurableTicketStore tickets, QueueLogWriter queueLog,
            ExecutorService ticketIo, ExecutorService webIo,
            CallService calls, FastAgiServer agi, Vertx vertx, WebServer web, AmiPbxAdapter ami,
            DesktopFanout desktops, IvrReloader ivrReloader) {
        this.database = database;
        this.tickets = tickets;
        this.queueLog = queueLog;
        this.ticketIo = ticketIo;
        this.webIo = webIo;
        this.calls = calls;
        this.agi = agi;
        this.vertx = vertx;
        this.web = web;
        this.ami = ami;
        this.desktops = desktops;
        this.ivrReloader = ivrReloader;
    }

    /**
     * Starts everything. Fails with a one-line message (database locked, port taken, AMI login refused) and leaves
     * nothing running. An Asterisk that cannot be reached is not a failure: the CTI starts, {@code /api/status} says
     * the AMI session is {@code connecting} with the last error, and the session comes up (with its resync) as soon
     * as Asterisk answers.
     */
    public static CtiServer start(CtiConfig config, Clock clock) throws IOException {
        Database database = null;
        DurableTicketStore durable = null;
        QueueLogWriter queueLog = null;
        ExecutorService ticketIo = null;
        ExecutorService webIo = null;
        CallService calls = null;
        FastAgiServer agi = null;
        Vertx vertx = null;
        WebServer web = null;
        AmiPbxAdapter ami = null;
        IvrReloader ivrReloader = null;
        try {
            CtiConfig.Database db = config.database();
            String url = db.url() == null || db.url().isBlank()
                    ? Database.defaultH2Url(Path.of(db.dataDir())) : db.url();
            database = Database.open(new DbSettings(url, db.username(), db.password(), db.maxPoolSize()));
            CtiConfig.Journal j = db.journal();
            durable = DurableTicketStore.open(new JournalOptions(db.journalDir(), j.segmentBytes(), j.retryInitial(),
                    j.retryMax(), j.ackTimeout(), j.batchSize()),
                    new JdbcTicketStore(database.dataSource(), clock, config.zoneId()),
                    new JdbcCallLedger(database.dataSource()));
            TicketStore tickets = durable;
            CallLedger ledger = durable;
            if (db.queueLog() != null && !db.queueLog().isBlank()) {
                queueLog = QueueLogWriter.open(Path.of(db.queueLog()));
                ledger = CallLedgers.tee(durable, queueLog);
            }
            ticketIo = DaemonThreads.pool("ticket-io", Math.max(2, db.maxPoolSize() / 2));

            CtiConfig.Ami amiConfig = config.asterisk().ami();
            AtomicReference<CallService> callsRef = new AtomicReference<>();
            ami = new AmiPbxAdapter(new AmiSettings(amiConfig.host(), amiConfig.port(), amiConfig.username(),
                    amiConfig.secret(), amiConfig.connectTimeout(), amiConfig.actionTimeout(),
                    config.asterisk().connectContext(), amiConfig.keepaliveInterval(), amiConfig.keepaliveTimeout(),
                    amiConfig.reconnectMaxDelay(), amiConfig.backlogHighWater()),
                    event -> callsRef.get().onPbxEvent(event));
            DesktopFanout desktops = new DesktopFanout();
            calls = new CallService(CallService.Settings.of(config.acd().ringTimeout(), config.acd().wrapUpMax(),
                    config.asterisk().waitContext(), config.asterisk().inboundContext()), clock,
                    config.lineDirectory(), config.agentProfiles(), config.acdSetup(), ami, tickets, ticketIo,
                    desktops);
            callsRef.set(calls);
            calls.useLedger(ledger);
            AgentDeviceReconciler devices = new AgentDeviceReconciler(calls, calls::releaseIdleAgent,
                    AGENT_IDLE_GRACE, calls::agentOnOtherCall);
            ami.onDeviceState(devices);
            desktops.attach(devices);

            // one source of truth for lines and flows: the YAML flows, the calendar and the lines: section
            org.hotlinecti.ivr.flow.IvrRegistry ivrRegistry = config.ivrRegistry(clock);
            CtiConfig.Announce announce = config.acd().announce();
            calls.useAnnouncements(new org.hotlinecti.cti.call.QueueAnnouncer.Settings(announce.interval(),
                    announce.firstAfter(), announce.position(), announce.expectedWait()),
                    () -> ivrRegistry.current().prompts());
            RecordingLayout recordings = new RecordingLayout(Path.of(config.asterisk().recordingDir()),
                    config.zoneId());
            java.time.Duration reloadCheck = config.ivr() == null || config.ivr().reloadCheck() == null
                    ? java.time.Duration.ZERO : config.ivr().reloadCheck();
            ivrReloader = new IvrReloader(ivrRegistry, reloadCheck);
            // one Vert.x for the web and the FastAGI sessions: its event loops serve both without a thread per caller
            vertx = Vertx.vertx();
            CtiConfig.Agi agiConfig = config.agi();
            agi = new FastAgiServer(vertx, new FastAgiSettings(agiConfig.bind(), agiConfig.port(),
                    agiConfig.maxSessions(), agiConfig.allowedPeers()),
                    new HotlineIvr(config.lineDirectory(), calls,
                            new FlowInterpreterRunner(ivrRegistry,
                                    (call, now) -> recordings.voicemailName(call.callId(), now)),
                            config.asterisk().recordingDir())
                            .withQueueVoicemail(new QueueVoicemailFlow(recordings, clock)));
            agi.start();

            // searches from the web get their own threads: a burst of them must not delay ticket writes
            webIo = DaemonThreads.pool("web-io", 2);
            CallService callModel = calls;
            FastAgiServer agiServer = agi;
            AmiPbxAdapter amiSession = ami;
            StatusSource status = () -> statusOf(callModel, agiServer, amiSession);
            web = new WebServer(vertx, config.http().bind(), config.http().port(), calls, tickets, status, calls,
                    webIo);
            web.ivrAdmin(ivrReloader::reload);
            web.start();
            desktops.attach(web);

            // an unreachable Asterisk is an outage: the CTI serves (status, desktops, tickets) and keeps trying; a
            // refused login is a misconfiguration and stops the start (AmiLoginRefusedException)
            if (ami.start()) {
                LOG.info("CTI up: FastAGI {}:{}, web {}, AMI {}:{} (Asterisk {})", config.agi().bind(), agi.port(),
                        web.baseUrl(), amiConfig.host(), amiConfig.port(), ami.asteriskVersion());
            } else {
                LOG.warn("CTI up without Asterisk: FastAGI {}:{}, web {}; AMI {}:{} not reachable yet ({}), retrying",
                        config.agi().bind(), agi.port(), web.baseUrl(), amiConfig.host(), amiConfig.port(),
                        ami.health().lastError());
            }
            return new CtiServer(database, durable, queueLog, ticketIo, webIo, calls, agi, vertx, web, ami,
                    desktops, ivrReloader);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ami);
            closeQuietly(web);
            if (vertx != null) {
                vertx.close();
            }
            closeQuietly(agi);
            closeQuietly(ivrReloader);
            closeQuietly(calls);
            if (ticketIo != null) {
                ticketIo.shutdownNow();
            }
            if (webIo != null) {
                webIo.shutdownNow();
            }
            closeQuietly(durable);
            closeQuietly(queueLog);
            closeQuietly(database);
            throw e;
        }
    }

    /** What {@code GET /api/status} answers: the call model's figures with the FastAGI and AMI health. */
    public java.util.concurrent.CompletionStage<CtiStatus> status() {
        return statusOf(calls, agi, ami);
    }

    private static java.util.concurrent.CompletionStage<CtiStatus> statusOf(CallService calls, FastAgiServer agi,
            AmiPbxAdapter ami) {
        return calls.status().thenApply(s -> s.withAgi(agi.health()).withAmi(amiStatus(ami), ami.asteriskVersion()));
    }

    private static AmiStatus amiStatus(AmiPbxAdapter ami) {
        AmiHealth h = ami.health();
        return new AmiStatus(h.state().wireName(), h.since(), h.reconnects(), h.lastError(), h.lastErrorAt(),
                h.eventsReceived(), Math.round(h.eventsPerSecond() * 10) / 10.0, h.backlog(), h.maxBacklog(),
                h.backlogHighWater(), ami.agentDeviceCounts());
    }

    /** The AMI session's health now. */
    public AmiHealth amiHealth() {
        return ami.health();
    }

    public int agiPort() {
        return agi.port();
    }

    public int httpPort() {
        return web.port();
    }

    /** Where desktops and the monitor page are served, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
        return web.baseUrl();
    }

    public TicketStore tickets() {
        return tickets;
    }

    /** Reloads the IVR's flow, prompt and holiday files now; with errors the flows in force stay. */
    public org.hotlinecti.ivr.flow.IvrRegistry.ReloadResult reloadIvr() {
        return ivrReloader.reload();
    }

    public CallService calls() {
        return calls;
    }

    /** Also sends every screen-pop, agent change and saved ticket to {@code observer} (in-process supervisors). */
    public void addDesktopObserver(DesktopGateway observer) {
        desktops.attach(observer);
    }

    /** Stops taking calls and events, lets posted work and ticket writes finish, then closes the database. */
    @Override
    public void close() {
        closeQuietly(ami);
        closeQuietly(agi);
        closeQuietly(ivrReloader);
        closeQuietly(web);
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.warn("Vert.x did not close cleanly: {}", e.toString());
        }
        webIo.shutdownNow();
        closeQuietly(calls);
        ticketIo.shutdown();
        try {
            if (!ticketIo.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("ticket writes still running at shutdown");
                ticketIo.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // after the call service: the journal syncs what was appended and hands what it can to the database
        closeQuietly(tickets);
        closeQuietly(queueLog);
        closeQuietly(database);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("error while closing {}", c.getClass().getSimpleName(), e);
        }
    }
}
