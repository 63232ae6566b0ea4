package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.asterisk.ami.AmiAction;
import org.hotlinecti.cti.asterisk.ami.AmiClient;
import org.hotlinecti.cti.asterisk.ami.AmiClientOptions;
import org.hotlinecti.cti.asterisk.ami.AmiHealth;
import org.hotlinecti.cti.asterisk.ami.AmiListResponse;
import org.hotlinecti.cti.asterisk.ami.AmiListener;
import org.hotlinecti.cti.asterisk.ami.AmiMessage;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxActionException.Outcome;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The AMI client against the scriptable fake AMI: login variants, correlation, errors, back-pressure. */
class AmiClientTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void plainLoginSendsTheSecretOnlyWhenAskedTo() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "s3cret-Plain"));
        AmiClient client = client(AmiClientOptions.of("127.0.0.1", ami.port(), "cti", "s3cret-Plain", TIMEOUT,
                TIMEOUT).withMd5Login(false), recorder());

        client.connect();

        assertThat(ami.actions()).extracting(a -> a.get("action")).startsWith("Login", "CoreSettings");
        assertThat(ami.actions("Login").get(0)).containsEntry("secret", "s3cret-Plain").containsEntry("events", "on");
        assertThat(client.asteriskVersion()).isEqualTo("22.10.1");
    }

    @Test
    void listActionCollectsItsEventsAndLeavesOtherEventsToTheListener() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        ami.channels(List.of("Channel: PJSIP/trunk-00000001\r\nUniqueid: 1.1\r\nLinkedid: 1.1",
                "Channel: PJSIP/trunk-00000002\r\nUniqueid: 1.2\r\nLinkedid: 1.2"));
        AmiClient client = client(options(ami), recorder());
        client.connect();

        AmiListResponse list = client.sendList(AmiAction.named("CoreShowChannels")).get(2, TimeUnit.SECONDS);
        ami.send("Event: Hangup\r\nPrivilege: call,all\r\nChannel: PJSIP/x\r\nActionID: foreign\r\n\r\n");

        assertThat(list.items()).extracting(m -> m.get("Channel"))
                .containsExactly("PJSIP/trunk-00000001", "PJSIP/trunk-00000002");
        assertThat(list.complete().get("ListItems")).isEqualTo("2");
        await().until(() -> seen.contains("event Hangup"));
        assertThat(seen).noneMatch(s -> s.contains("CoreShowChannel"));
    }

    @Test
    void refusedActionFailsOnceAndIsNeverResent() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        ami.reply("Redirect", a -> FakeAmiServer.Reply.error("Channel does not exist: " + a.get("channel")));
        AmiClient client = client(options(ami), recorder());
        client.connect();

        CompletableFuture<AmiMessage> redirect = client.send(AmiAction.named("Redirect")
                .add("Channel", "PJSIP/trunk-00000002").add("Context", "hotline-connect").add("Exten", "1001")
                .add("Priority", "1"));

        assertThatThrownBy(() -> redirect.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(PbxActionException.class, e -> {
                    assertThat(e.outcome()).isEqualTo(Outcome.REFUSED);
                    assertThat(e.channelGone()).isTrue();
                    assertThat(e).hasMessage("Redirect: Channel does not exist: PJSIP/trunk-00000002");
                });
        // a Ping round trip later, still exactly one Redirect reached Asterisk
        client.send(AmiAction.named("Ping")).get(2, TimeUnit.SECONDS);
        assertThat(ami.actions("Redirect")).hasSize(1);
    }

    @Test
    void unansweredActionTimesOutAsUnknownAndALateAnswerIsIgnored() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        ami.reply("Hangup", a -> FakeAmiServer.Reply.NONE);
        AmiClient client = client(options(ami), recorder());
        client.connect();

        CompletableFuture<AmiMessage> hangup = client.send(AmiAction.named("Hangup")
                .add("Channel", "PJSIP/trunk-00000002"), Duration.ofMillis(200));

        assertThatThrownBy(() -> hangup.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(PbxActionException.class,
                        e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN))
                .hasMessage("Hangup: no response within 200 ms");
        ami.send("Response: Success\r\nActionID: " + ami.actions("Hangup").get(0).get("actionid")
                + "\r\nMessage: Channel Hungup\r\n\r\n");
        assertThat(client.send(AmiAction.named("Ping")).get(2, TimeUnit.SECONDS).get("Ping")).isEqualTo("Pong");
    }

    @Test
    void pendingActionFailsAsUnknownWhenTheConnectionDrops() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        ami.reply("Redirect", a -> FakeAmiServer.Reply.NONE);
        AmiClient client = client(options(ami), recorder());
        client.connect();
        CompletableFuture<AmiMessage> redirect = client.send(AmiAction.named("Redirect").add("Channel", "PJSIP/a"));
        await().until(() -> ami.actions("Redirect").size() == 1);

        ami.dropClient();

        assertThatThrownBy(() -> redirect.get(2, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(PbxActionException.class,
                        e -> assertThat(e.outcome()).isEqualTo(Outcome.UNKNOWN));
        await().until(() -> seen.contains("disconnected false"));
        await().until(client::isConnected);
        assertThat(client.reconnects()).isEqualTo(1);
    }

    @Test
    void responsesAreOrderedWithTheEventsAroundThem() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        ami.reply("Redirect", a -> FakeAmiServer.Reply.NONE);
        AmiClient client = client(options(ami), recorder());
        client.connect();
        CompletableFuture<AmiMessage> redirect = client.send(AmiAction.named("Redirect").add("Channel", "PJSIP/a"));
        redirect.thenRun(() -> seen.add("redirect done"));
        await().until(() -> ami.actions("Redirect").size() == 1);
        String id = ami.actions("Redirect").get(0).get("actionid");

        ami.send("Event: MusicOnHoldStop\r\nPrivilege: call,all\r\n\r\n"
                + "Response: Success\r\nActionID: " + id + "\r\nMessage: Redirect successful\r\n\r\n"
                + "Event: DialBegin\r\nPrivilege: call,all\r\n\r\n");

        await().until(() -> seen.contains("event DialBegin"));
        assertThat(seen).containsSubsequence("event MusicOnHoldStop", "redirect done", "event DialBegin");
    }

    @Test
    void backlogOverCapacityDropsTheConnectionLoudlyInsteadOfLosingEventsSilently() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        CountDownLatch release = new CountDownLatch(1);
        AmiClient client = client(options(ami).withBacklog(10, 100), new AmiListener() {
            @Override
            public void connected(String version) {
                seen.add("connected");
            }

            @Override
            public void event(AmiMessage event) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }

            @Override
            public void disconnected(String reason, boolean requested) {
                seen.add("disconnected " + reason);
            }
        });
        client.connect();

        ami.send("Event: X\r\nPrivilege: call,all\r\n\r\n".repeat(500));
        await().until(() -> client.reconnects() >= 1);
        release.countDown();

        await().until(() -> seen.stream().anyMatch(s -> s.startsWith("disconnected event backlog over capacity")));
    }

    @Test
    void startWithoutAsteriskReportsConnectingWithTheErrorThenConnectsWhenAsteriskAppears() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        AmiClient client = client(AmiClientOptions.of("127.0.0.1", port, "cti", "secret-1234", TIMEOUT, TIMEOUT)
                .withReconnect(Duration.ofMillis(50), Duration.ofMillis(200)), recorder());

        assertThat(client.start()).isFalse();
        AmiHealth down = client.health();
        assertThat(down.state()).isEqualTo(AmiHealth.State.CONNECTING);
        assertThat(down.lastError()).contains("cannot reach AMI at 127.0.0.1:" + port).contains("Connection refused");
        assertThat(down.lastErrorAt()).isNotNull();
        assertThat(client.isConnected()).isFalse();

        FakeAmiServer ami = track(FakeAmiServer.startOn(port, "cti", "secret-1234"));
        await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
        await().until(() -> seen.contains("connected 22.10.1"));
        AmiHealth up = client.health();
        assertThat(up.state()).isEqualTo(AmiHealth.State.CONNECTED);
        assertThat(up.reconnects()).isEqualTo(1);
        assertThat(up.since()).isAfterOrEqualTo(down.since());
        assertThat(ami.logins()).isEqualTo(1);
    }

    @Test
    void refusedLoginAtStartIsFatalNotRetried() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        AmiClient client = client(AmiClientOptions.of("127.0.0.1", ami.port(), "cti", "wrong-secret-99", TIMEOUT,
                TIMEOUT).withReconnect(Duration.ofMillis(50), Duration.ofMillis(100)), recorder());

        assertThatThrownBy(client::start).isInstanceOf(AmiLoginRefusedException.class)
                .hasMessageContaining("Authentication failed");
        int attempts = ami.actions("Login").size();
        // a refused login is not retried in the background: still one attempt after several back-off periods
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2))
                .until(() -> ami.actions("Login").size() == attempts);
        assertThat(attempts).isEqualTo(1);
    }

    @Test
    void healthFollowsALossAndTheReconnectAndCountsEvents() throws Exception {
        FakeAmiServer ami = track(FakeAmiServer.start("cti", "secret-1234"));
        AmiClient client = client(options(ami).withReconnect(Duration.ofMillis(50), Duration.ofMillis(200)),
                recorder());
        client.connect();
        for (int i = 0; i < 5; i++) {
            ami.send("Event: Newchannel\r\nPrivilege: call,all\r\nChannel: PJSIP/trunk-0000000" + i
                    + "\r\nUniqueid: 1." + i + "\r\nLinkedid: 1." + i + "\r\n\r\n");
        }
        await().until(() -> client.health().eventsReceived() == 5);
        assertThat(client.health().state()).isEqualTo(AmiHealth.State.CONNECTED);
        assertThat(client.health().lastError()).isNull();

        ami.dropClient();
        await().until(() -> seen.stream().anyMatch(s -> s.startsWith("disconnected")));
        await().atMost(Duration.ofSeconds(5)).until(() -> ami.logins() == 2 && client.isConnected());

        AmiHealth after = client.health();
        assertThat(after.state()).isEqualTo(AmiHealth.State.CONNECTED);
        assertThat(after.reconnects()).isEqualTo(1);
        assertThat(after.lastError()).contains("lost");
        assertThat(after.maxBacklog()).isGreaterThanOrEqualTo(1);
        assertThat(after.backlogHighWater()).isPositive();
    }

    private AmiClientOptions options(FakeAmiServer ami) {
        return AmiClientOptions.of("127.0.0.1", ami.port(), "cti", ami == null ? "" : secretOf(ami), TIMEOUT,
                TIMEOUT);
    }

    private static String secretOf(FakeAmiServer ami) {
        return "secret-1234";
    }

    private AmiClient client(AmiClientOptions options, AmiListener listener) {
        return track(new AmiClient(options, listener));
    }

    private AmiListener recorder() {
        return new AmiListener() {
            @Override
            public void connected(String version) {
                seen.add("connected " + version);
            }

            @Override
            public void event(AmiMessage event) {
                seen.add("event " + event.eventName());
            }

            @Override
            public void disconnected(String reason, boolean requested) {
                seen.add("disconnected " + requested);
            }
        };
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
