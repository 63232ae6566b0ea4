package org.hotlinecti.sim.pbx.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AmiServerTest {

    private static final Instant T0 = Instant.parse("2026-11-22T04:41:26.919596Z");

    private final TestClock clock = new TestClock(T0);
    private final List<AmiMessage> handled = new CopyOnWriteArrayList<>();
    private final Map<String, AmiActionHandler.Reply> pending = new ConcurrentHashMap<>();
    private final List<AmiTestClient> clients = new ArrayList<>();
    private AmiServer server;

    /** Plays the core: a few actions with canned replies, "Slow" answered when the test says so. */
    private final AmiActionHandler handler = (action, reply) -> {
        handled.add(action);
        String name = action.getOrEmpty("Action");
        switch (name) {
            case "Setvar" -> reply.send(AmiReplies.success("Variable Set"));
            case "Boom" -> throw new IllegalStateException("Channel does not exist: PJSIP/trunk-0000dead");
            case "Slow" -> pending.put(action.getOrEmpty("ActionID"), reply);
            case "Malformed" -> reply.send(AmiReplies.success("two\r\nlines"));
            case "CoreShowChannels" -> reply.send(List.of(AmiReplies.listStart("Channels will follow"),
                    AmiReplies.listComplete("CoreShowChannelsComplete", 0)));
            default -> reply.send(AmiReplies.unknownAction(name));
        }
    };

    @BeforeEach
    void setUp() throws IOException {
        start(config());
    }

    private AmiServerConfig config() {
        return new AmiServerConfig("127.0.0.1", 0, List.of(
                AmiUser.all("cti", "cti-secret"),
                new AmiUser("calls", "pw", Set.of("call"), Set.of("call")),
                new AmiUser("reader", "pw", Set.of("all"), Set.of())),
                true, "22.10.1", clock);
    }

    private void start(AmiServerConfig config) throws IOException {
        if (server != null) {
            server.close();
        }
        server = new AmiServer(config, handler);
        server.start();
    }

    @AfterEach
    void tearDown() throws IOException {
        for (AmiTestClient c : clients) {
            c.close();
        }
        server.close();
    }

    private AmiTestClient connect() throws IOException {
        AmiTestClient c = AmiTestClient.connect(server.port());
        clients.add(c);
        return c;
    }

    private AmiTestClient loggedIn(String user, String secret, String events) throws IOException {
        AmiTestClient c = connect();
        c.login(user, secret, events);
        if (events.equals("on")) {
            c.nextWhere("Event", "SuccessfulAuth");
        }
        return c;
    }

    private static AmiMessage event(String name, String privilege, String... keyValues) {
        AmiMessage.Builder b = AmiMessage.builder().add("Event", name).add("Privilege", privilege);
        for (int i = 0; i < keyValues.length; i += 2) {
            b.add(keyValues[i], keyValues[i + 1]);
        }
        return b.build();
    }

    @Test
    void bannerIsOneLineWithoutABlankLineAfterIt() throws IOException {
        AmiTestClient c = connect();
        c.send("Action: Ping\r\nActionID: 1\r\n\r\n");
        c.next();
        assertThat(c.receivedText()).startsWith("Asterisk Call Manager/11.0.0\r\nResponse: Error\r\n");
    }

    @Test
    void actionsBeforeLoginAreDeniedAndTheConnectionStaysOpen() throws IOException {
        AmiTestClient c = connect();
        c.send("Action: Ping\r\nActionID: p\r\n\r\nAction: CoreShowChannels\r\nActionID: c\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: p\r\nMessage: Permission denied\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: c\r\nMessage: Permission denied\r\n");
        c.login("cti", "cti-secret", "on");
        assertThat(handled).isEmpty();
    }

    @Test
    void plaintextLoginAnswersThenFullyBootedThenSuccessfulAuth() throws IOException {
        clock.set(T0);
        server.setFullyBooted(true);
        clock.advance(Duration.ofSeconds(468));
        AmiTestClient c = connect();
        c.send("Action: Login\r\nUsername: CTI\r\nSecret: cti-secret\r\nEvents: on\r\nActionID: login\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: login\r\nMessage: Authentication accepted\r\n");
        assertThat(c.nextRaw()).isEqualTo(
                "Event: FullyBooted\r\nPrivilege: system,all\r\nUptime: 468\r\nLastReload: 468\r\nStatus: Fully Booted\r\n");
        AmiMessage auth = c.next();
        assertThat(auth.fields()).extracting(Map.Entry::getKey).containsExactly("Event", "Privilege", "Timestamp",
                "EventTV", "Severity", "Service", "EventVersion", "AccountID", "SessionID", "LocalAddress",
                "RemoteAddress", "UsingPassword", "SessionTV");
        assertThat(auth.getOrEmpty("Timestamp")).isEqualTo("1795322954.919596");
        assertThat(auth.getOrEmpty("EventTV")).isEqualTo("2026-11-22T04:49:14.919+0000");
        assertThat(auth.getOrEmpty("SessionTV")).isEqualTo("2026-11-22T04:49:14.919+0000");
        assertThat(auth.getOrEmpty("AccountID")).isEqualTo("cti");
        assertThat(auth.getOrEmpty("SessionID")).matches("0x[0-9a-f]{12}");
        assertThat(auth.getOrEmpty("LocalAddress")).isEqualTo("IPV4/TCP/127.0.0.1/" + server.port());
        assertThat(auth.getOrEmpty("RemoteAddress")).matches("IPV4/TCP/127\\.0\\.0\\.1/\\d+");
    }

    @Test
    void md5ChallengeLogin() throws Exception {
        AmiTestClient c = connect();
        c.send("Action: Challenge\r\nAuthType: md5\r\nActionID: ch\r\n\r\n");
        AmiMessage challenge = c.next();
        assertThat(challenge.fields()).extracting(Map.Entry::getKey).containsExactly("Response", "ActionID", "Challenge");
        String nonce = challenge.getOrEmpty("Challenge");
        assertThat(nonce).matches("\\d+");
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("MD5")
                .digest((nonce + "cti-secret").getBytes(StandardCharsets.UTF_8)));
        c.send("Action: Login\r\nAuthType: MD5\r\nUsername: cti\r\nKey: " + key + "\r\nActionID: l\r\n\r\n");
        assertThat(c.next().getOrEmpty("Message")).isEqualTo("Authentication accepted");
        // The same challenge is given again within the session, as Asterisk keeps it.
        c.send("Action: Challenge\r\nAuthType: MD5\r\n\r\n");
        assertThat(c.nextWhere("Response", "Success").getOrEmpty("Challenge")).isEqualTo(nonce);
    }

    @Test
    void challengeWithoutMd5IsRefused() throws IOException {
        AmiTestClient c = connect();
        c.send("Action: Challenge\r\nActionID: x\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: x\r\nMessage: Must specify AuthType\r\n");
    }

    @Test
    void wrongMd5KeyFailsAndRaisesChallengeResponseFailed() throws IOException {
        AmiTestClient watcher = loggedIn("cti", "cti-secret", "on");
        AmiTestClient c = connect();
        c.send("Action: Challenge\r\nAuthType: MD5\r\n\r\n");
        String nonce = c.next().getOrEmpty("Challenge");
        c.send("Action: Login\r\nAuthType: MD5\r\nUsername: cti\r\nKey: 00112233445566778899aabbccddeeff\r\n\r\n");
        AmiMessage failed = watcher.nextWhere("Event", "ChallengeResponseFailed");
        assertThat(failed.getOrEmpty("Challenge")).isEqualTo(nonce);
        assertThat(failed.getOrEmpty("Response")).isEqualTo("00112233445566778899aabbccddeeff");
        assertThat(c.next().getOrEmpty("Message")).isEqualTo("Authentication failed");
        c.awaitClosedByServer(Duration.ofSeconds(3));
    }

    @Test
    void badSecretIsAnsweredAfterAboutOneSecondThenClosed() throws IOException {
        AmiTestClient watcher = loggedIn("cti", "cti-secret", "on");
        AmiTestClient c = connect();
        long start = System.nanoTime();
        c.send("Action: Login\r\nUsername: cti\r\nSecret: wrong-secret\r\nActionID: bad-login\r\n\r\n");
        AmiMessage invalid = watcher.nextWhere("Event", "InvalidPassword");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(900));
        assertThat(invalid.getOrEmpty("AccountID")).isEqualTo("cti");
        assertThat(invalid.getOrEmpty("EventVersion")).isEqualTo("2");
        assertThat(invalid.getOrEmpty("SessionTV")).isEqualTo("1970-01-01T00:00:00.000+0000");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: bad-login\r\nMessage: Authentication failed\r\n");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(950), Duration.ofMillis(3000));
        c.awaitClosedByServer(Duration.ofSeconds(3));
        // Nothing was processed after the failed login.
        assertThat(c.hasPending()).isFalse();
    }

    @Test
    void unknownUserRaisesInvalidAccountId() throws IOException {
        AmiTestClient watcher = loggedIn("cti", "cti-secret", "on");
        AmiTestClient c = connect();
        c.send("Action: Login\r\nUsername: nobody\r\nSecret: x\r\n\r\n");
        assertThat(watcher.nextWhere("Event", "InvalidAccountID").getOrEmpty("AccountID")).isEqualTo("nobody");
        assertThat(c.next().getOrEmpty("Message")).isEqualTo("Authentication failed");
        c.awaitClosedByServer(Duration.ofSeconds(3));
    }

    @Test
    void loginTwiceSaysAlreadyAuthenticated() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        c.send("Action: Login\r\nUsername: cti\r\nSecret: cti-secret\r\nActionID: again\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: again\r\nMessage: Already authenticated\r\n");
    }

    @Test
    void pingAnswersPongWithMicrosecondTimestamp() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        clock.set(Instant.parse("2026-11-22T04:41:26.000042Z"));
        c.send("Action: PING\r\nActionID: a2\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: a2\r\nPing: Pong\r\nTimestamp: 1795322486.000042\r\n");
        c.send("action: ping\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nPing: Pong\r\nTimestamp: 1795322486.000042\r\n");
    }

    @Test
    void logoffSaysGoodbyeAndCloses() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        c.send("Action: Logoff\r\nActionID: logoff\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Goodbye\r\nActionID: logoff\r\nMessage: Thanks for all the fish.\r\n");
        c.awaitClosedByServer(Duration.ofSeconds(3));
        server.publish(event("Newchannel", "call,all"));
        await().atMost(Duration.ofSeconds(3)).until(() -> server.sessionCount() == 0);
        assertThat(c.hasPending()).isFalse();
    }

    @Test
    void coreSettingsEqualsTheTrace() throws IOException {
        String recorded = Traces.actionBlocks("09-ami-reconnect-and-restart", "actions-after-restart.log").stream()
                .filter(b -> !b.sent() && b.raw().contains("AMIversion")).findFirst().orElseThrow().raw();
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: CoreSettings\r\nActionID: a5\r\n\r\n");
        assertThat(c.nextRaw() + "\r\n").isEqualTo(recorded);
    }

    @Test
    void coreStatusReportsStartupInTheClockZoneAndTheCallCounters() throws IOException {
        server.setCallCounters(() -> 2, () -> 17);
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: CoreStatus\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nCoreStartupDate: 2026-11-22\r\nCoreStartupTime: 04:41:26\r\n"
                + "CoreReloadDate: 2026-11-22\r\nCoreReloadTime: 04:41:26\r\nCoreCurrentCalls: 2\r\n"
                + "CoreProcessedCalls: 17\r\n");
    }

    @Test
    void eventsGetTimestampRightAfterPrivilege() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        clock.set(Instant.parse("2026-11-22T04:41:27.034476Z"));
        server.publish(event("Newchannel", "call,all", "Channel", "PJSIP/trunk-00000013", "AccountCode", "",
                "Timestamp", "stale"));
        assertThat(c.nextRaw()).isEqualTo("Event: Newchannel\r\nPrivilege: call,all\r\nTimestamp: 1795322487.034476\r\n"
                + "Channel: PJSIP/trunk-00000013\r\nAccountCode: \r\n");
    }

    @Test
    void withoutTimestampEventsThereIsNoTimestamp() throws IOException {
        start(new AmiServerConfig("127.0.0.1", 0, List.of(AmiUser.all("cti", "cti-secret")), false, "22.10.1", clock));
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        server.publish(event("Hangup", "call,all", "Cause", "16"));
        assertThat(c.nextRaw()).isEqualTo("Event: Hangup\r\nPrivilege: call,all\r\nCause: 16\r\n");
    }

    @Test
    void eventsAreFilteredByReadClassesAndEventMask() throws IOException {
        AmiTestClient all = loggedIn("cti", "cti-secret", "on");
        AmiTestClient calls = connect();
        calls.login("calls", "pw", "on");
        AmiTestClient off = loggedIn("cti", "cti-secret", "off");
        AmiTestClient dialplanOnly = loggedIn("cti", "cti-secret", "dialplan");
        server.publish(event("VarSet", "dialplan,all", "Seq", "1"));
        server.publish(event("Newchannel", "call,all", "Seq", "2"));
        server.publish(event("Reload", "system,all", "Seq", "3"));
        server.publish(event("Marker", "call,all", "Seq", "end"));
        // "all" also got the SuccessfulAuth of the later logins; only the published events carry Seq.
        assertThat(seqsUntilEnd(all)).containsExactly("1", "2", "3", "end");
        assertThat(seqsUntilEnd(calls)).containsExactly("2", "end");
        assertThat(dialplanOnly.next().getOrEmpty("Seq")).isEqualTo("1");
        // The "calls" user reads no security events, so its login's SuccessfulAuth never reached it either.
        assertThat(calls.receivedText()).doesNotContain("SuccessfulAuth");
        off.send("Action: Ping\r\nActionID: sync\r\n\r\n");
        assertThat(off.next().getOrEmpty("ActionID")).isEqualTo("sync");
        assertThat(off.hasPending()).isFalse();
        dialplanOnly.send("Action: Ping\r\nActionID: sync\r\n\r\n");
        assertThat(dialplanOnly.next().getOrEmpty("ActionID")).isEqualTo("sync");
    }

    private static List<String> seqsUntilEnd(AmiTestClient c) {
        List<String> seqs = new ArrayList<>();
        while (seqs.isEmpty() || !seqs.get(seqs.size() - 1).equals("end")) {
            c.next().get("Seq").ifPresent(seqs::add);
        }
        return seqs;
    }

    @Test
    void eventsActionChangesTheMask() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        c.send("Action: Events\r\nEventMask: off\r\nActionID: e1\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: e1\r\nEvents: Off\r\n");
        server.publish(event("Newchannel", "call,all"));
        c.send("Action: Events\r\nEventMask: call,agent\r\nActionID: e2\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: e2\r\nEvents: On\r\n");
        server.publish(event("VarSet", "dialplan,all"));
        server.publish(event("Hangup", "call,all"));
        assertThat(c.next().getOrEmpty("Event")).isEqualTo("Hangup");
        c.send("Action: Events\r\nEventMask: \r\nActionID: e3\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: e3\r\nMessage: Invalid event mask\r\n");
    }

    @Test
    void fullyBootedNotSentOnLoginToSessionsThatDoNotReadSystem() throws IOException {
        server.setFullyBooted(true);
        AmiTestClient calls = connect();
        calls.login("calls", "pw", "on");
        AmiTestClient off = connect();
        off.login("cti", "cti-secret", "off");
        server.publish(event("Newchannel", "call,all"));
        assertThat(calls.next().getOrEmpty("Event")).isEqualTo("Newchannel");
        assertThat(calls.receivedText()).doesNotContain("FullyBooted");
        off.send("Action: Ping\r\n\r\n");
        assertThat(off.next().getOrEmpty("Ping")).isEqualTo("Pong");
        assertThat(off.receivedText()).doesNotContain("FullyBooted");
    }

    @Test
    void fullyBootedAfterLoginIsAnEventWithTimestampStatusFirst() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        clock.advance(Duration.ofMillis(1300));
        server.setFullyBooted(true);
        server.setFullyBooted(true);
        assertThat(c.nextRaw()).isEqualTo("Event: FullyBooted\r\nPrivilege: system,all\r\nTimestamp: 1795322488.219596\r\n"
                + "Status: Fully Booted\r\nUptime: 1\r\nLastReload: 1\r\n");
        c.send("Action: Ping\r\n\r\n");
        assertThat(c.next().get("Ping")).contains("Pong");
    }

    @Test
    void shutdownPublishesShutdownThenClosesEverySession() throws IOException {
        server.setFullyBooted(true);
        AmiTestClient a = loggedIn("cti", "cti-secret", "on");
        AmiTestClient notLoggedIn = connect();
        notLoggedIn.banner();
        server.shutdown(true);
        assertThat(a.nextRaw()).isEqualTo("Event: Shutdown\r\nPrivilege: system,all\r\nTimestamp: 1795322486.919596\r\n"
                + "Shutdown: Cleanly\r\nRestart: True\r\n");
        a.awaitClosedByServer(Duration.ofSeconds(3));
        notLoggedIn.awaitClosedByServer(Duration.ofSeconds(3));
        await().atMost(Duration.ofSeconds(3)).until(() -> server.sessionCount() == 0);
        // Still listening, and not booted any more: a new login gets no FullyBooted until the core says so.
        AmiTestClient again = loggedIn("cti", "cti-secret", "on");
        assertThat(again.receivedText()).doesNotContain("FullyBooted");
        server.setFullyBooted(true);
        assertThat(again.next().getOrEmpty("Event")).isEqualTo("FullyBooted");
    }

    @Test
    void otherActionsGoToTheHandlerWithActionIdAddedToEveryReply() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: Setvar\r\nChannel: PJSIP/trunk-00000002\r\nVariable: CTI_AGENT\r\nValue: 1001\r\nActionID: sv\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: sv\r\nMessage: Variable Set\r\n");
        assertThat(handled).singleElement().satisfies(a -> {
            assertThat(a.getOrEmpty("Variable")).isEqualTo("CTI_AGENT");
            assertThat(a.getOrEmpty("Value")).isEqualTo("1001");
        });
        c.send("Action: CoreShowChannels\r\nActionID: a3\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nActionID: a3\r\nEventList: start\r\nMessage: Channels will follow\r\n");
        assertThat(c.nextRaw()).isEqualTo("Event: CoreShowChannelsComplete\r\nActionID: a3\r\nEventList: Complete\r\nListItems: 0\r\n");
        c.send("Action: Setvar\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Success\r\nMessage: Variable Set\r\n");
    }

    @Test
    void handlerFailureBecomesAnError() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: Boom\r\nActionID: b\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: b\r\nMessage: Channel does not exist: PJSIP/trunk-0000dead\r\n");
        c.send("Action: Slow\r\nActionID: s\r\n\r\n");
        await().atMost(Duration.ofSeconds(3)).until(() -> pending.containsKey("s"));
        pending.get("s").fail(new IllegalArgumentException("Originate failed"));
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: s\r\nMessage: Originate failed\r\n");
    }

    @Test
    void malformedHandlerReplyBecomesAnError() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: Malformed\r\nActionID: m\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: m\r\nMessage: Internal error: malformed "
                + "response to Malformed\r\n");
    }

    @Test
    void unknownActionIsTheHandlersToRefuseAndRaisesRequestBadFormat() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        c.send("Action: NoSuchAction\r\nActionID: a11\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: a11\r\nMessage: Invalid/unknown command: "
                + "NoSuchAction. Use Action: ListCommands to show available commands.\r\n");
        AmiMessage bad = c.next();
        assertThat(bad.getOrEmpty("Event")).isEqualTo("RequestBadFormat");
        assertThat(bad.getOrEmpty("RequestType")).isEqualTo("Action: NoSuchAction");
        assertThat(bad.fields().get(bad.fields().size() - 1)).isEqualTo(Map.entry("AccountID", "cti"));
    }

    @Test
    void actionWithoutActionHeaderIsAnError() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("ActionID: x\r\nChannel: y\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: x\r\nMessage: Missing action in request\r\n");
        c.send("Action: \r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nMessage: Missing action in request\r\n");
        c.send("Action: Ping\r\n\r\n");
        assertThat(c.next().getOrEmpty("Ping")).isEqualTo("Pong");
    }

    @Test
    void actionsOfASessionAreAnsweredInOrderOneAtATime() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "on");
        c.send("Action: Slow\r\nActionID: 1\r\n\r\nAction: Ping\r\nActionID: 2\r\n\r\nAction: Setvar\r\nActionID: 3\r\n\r\n");
        await().atMost(Duration.ofSeconds(3)).until(() -> pending.containsKey("1"));
        server.publish(event("Newchannel", "call,all"));
        assertThat(c.next().getOrEmpty("Event")).isEqualTo("Newchannel");
        assertThat(handled).hasSize(1);
        assertThat(c.hasPending()).isFalse();
        pending.get("1").send(AmiReplies.success("Originate successfully queued"));
        // Completed before the core publishes what follows: the response comes first. Actions 2 and 3 are read once
        // 1 is answered, so their responses may come before or after the event this thread publishes next.
        server.publish(event("OriginateResponse", "call,all", "ActionID", "1"));
        List<String> received = List.of(c.next(), c.next(), c.next(), c.next()).stream()
                .map(m -> m.getOrEmpty("ActionID") + "/" + m.getOrEmpty("Event") + m.getOrEmpty("Response"))
                .toList();
        assertThat(received.get(0)).isEqualTo("1/Success");
        assertThat(received).containsExactlyInAnyOrder("1/Success", "1/OriginateResponse", "2/Success", "3/Success");
        assertThat(received.indexOf("2/Success")).isLessThan(received.indexOf("3/Success"));
    }

    @Test
    void writeClassesAreEnforcedForCoreActions() throws IOException {
        AmiTestClient watcher = loggedIn("cti", "cti-secret", "on");
        AmiTestClient reader = connect();
        reader.login("reader", "pw", "off");
        reader.send("Action: Originate\r\nChannel: PJSIP/agent1001\r\nActionID: o\r\n\r\n");
        assertThat(reader.nextRaw()).isEqualTo("Response: Error\r\nActionID: o\r\nMessage: Permission denied\r\n");
        reader.send("Action: CoreSettings\r\nActionID: s\r\n\r\n");
        assertThat(reader.nextRaw()).isEqualTo("Response: Error\r\nActionID: s\r\nMessage: Permission denied\r\n");
        reader.send("Action: Ping\r\nActionID: p\r\n\r\n");
        assertThat(reader.next().getOrEmpty("Ping")).isEqualTo("Pong");
        assertThat(watcher.nextWhere("Event", "RequestNotAllowed").getOrEmpty("RequestType"))
                .isEqualTo("Action: Originate");
        assertThat(handled).isEmpty();
    }

    @Test
    void overlongLineIsAnErrorThenClose() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: Setvar\r\nActionID: big\r\nValue: " + "x".repeat(9000) + "\r\n\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nActionID: big\r\nMessage: Failed to parse message: line too long\r\n");
        c.awaitClosedByServer(Duration.ofSeconds(3));
        assertThat(handled).isEmpty();
    }

    @Test
    void tooManyHeadersIsAnErrorThenClose() throws IOException {
        AmiTestClient c = loggedIn("cti", "cti-secret", "off");
        c.send("Action: Originate\r\n" + "Variable: a=b\r\n".repeat(200) + "\r\n");
        assertThat(c.nextRaw()).isEqualTo("Response: Error\r\nMessage: Too many lines in message or allocation failure\r\n");
        c.awaitClosedByServer(Duration.ofSeconds(3));
    }

    @Test
    void connectionNotLoggedInWithinAuthTimeoutIsClosed() throws IOException {
        start(config().withAuthTimeout(Duration.ofMillis(300)));
        AmiTestClient idle = connect();
        AmiTestClient active = loggedIn("cti", "cti-secret", "on");
        idle.awaitClosedByServer(Duration.ofSeconds(3));
        active.send("Action: Ping\r\n\r\n");
        assertThat(active.next().getOrEmpty("Ping")).isEqualTo("Pong");
        assertThat(active.closedByServer()).isFalse();
    }

    @Test
    void publishRejectsMessagesThatAreNotEvents() {
        assertThatThrownBy(() -> server.publish(AmiReplies.success("x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Event");
        assertThatThrownBy(() -> server.publish(AmiMessage.builder().add("Event", "Newchannel").build()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Privilege");
        assertThatThrownBy(() -> server.publish(event("Newchannel", "call,all", "CallerIDName", "x\r\nEvent: Fake")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("CallerIDName");
    }

    @Test
    void configRejectsUnknownClassesAndDuplicateUsers() {
        assertThatThrownBy(() -> new AmiUser("x", "y", Set.of("calls"), Set.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("calls");
        assertThatThrownBy(() -> new AmiServerConfig("127.0.0.1", 0,
                List.of(AmiUser.all("cti", "a"), AmiUser.all("CTI", "b")), true, "22.10.1", clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("duplicate");
    }

    @Test
    void recordedLoginOfTheTraceParsesAsExpected() {
        // Guards the trace helper the replay tests rely on.
        AmiMessage m = TraceMessages.parse("Value:      minrtt=0;\r\nAccountCode: \r\n");
        assertThat(m.fields()).containsExactly(Map.entry("Value", "     minrtt=0;"), Map.entry("AccountCode", ""));
    }
}
