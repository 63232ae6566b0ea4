package org.hotlinecti.cti.asterisk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.cti.call.OriginateRequest;
import org.hotlinecti.cti.call.OriginateResult;
import org.hotlinecti.cti.call.PbxActionException;
import org.hotlinecti.cti.call.PbxEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AmiPbxAdapter#originate}: the AMI Originate it sends, and its stage completing on the OriginateResponse with
 * the action's ActionID (trace 10 for the failure fields), whichever of response and event comes first.
 */
class AmiPbxAdapterOriginateTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final OriginateRequest POLICE = new OriginateRequest("PJSIP/110@trunk", "hotline-conference",
            "1795322295.1", Duration.ofSeconds(30), "13900008888", "cti-3p-1795322295.1-far",
            Map.of("CTI_ROLE", "far"));

    private final List<PbxEvent> events = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private FakeAmiServer ami;
    private AmiPbxAdapter adapter;

    @BeforeEach
    void setUp() throws Exception {
        ami = FakeAmiServer.start("cti", "cti-secret");
        toClose.add(ami);
        adapter = new AmiPbxAdapter(AmiSettings.of("127.0.0.1", ami.port(), "cti", "cti-secret", TIMEOUT, TIMEOUT),
                events::add);
        toClose.add(adapter);
        adapter.connect();
        await().until(() -> events.size() >= 2);
    }

    @AfterEach
    void tearDown() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static String response(String actionId, String result, String channel, String reason, String uniqueId,
            String callerId) {
        return "Event: OriginateResponse\r\nPrivilege: call,all\r\nTimestamp: 1795322442.622310\r\nActionID: "
                + actionId + "\r\nResponse: " + result + "\r\nChannel: " + channel
                + "\r\nContext: hotline-conference\r\nExten: 1795322295.1\r\nReason: " + reason + "\r\nUniqueid: "
                + uniqueId + "\r\nCallerIDNum: " + callerId + "\r\nCallerIDName: " + callerId + "\r\n\r\n";
    }

    @Test
    void sendsAnAsyncOriginateAndCompletesWhenItsOriginateResponseSaysAnswered() throws Exception {
        ami.reply("Originate", a -> FakeAmiServer.Reply.success("Message: Originate successfully queued"));

        CompletableFuture<OriginateResult> outcome = adapter.originate(POLICE).toCompletableFuture();

        await().until(() -> ami.actions("Originate").size() == 1);
        Map<String, String> action = ami.actions("Originate").get(0);
        assertThat(action).containsEntry("channel", "PJSIP/110@trunk").containsEntry("context", "hotline-conference")
                .containsEntry("exten", "1795322295.1").containsEntry("priority", "1")
                .containsEntry("timeout", "30000").containsEntry("async", "true")
                .containsEntry("callerid", "13900008888").containsEntry("channelid", "cti-3p-1795322295.1-far")
                .containsEntry("variable", "CTI_ROLE=far");
        // the queued response alone settles nothing; an OriginateResponse of another action neither
        ami.send(response("someone-else", "Failure", "PJSIP/119@trunk", "5", "<unknown>", "<unknown>"));
        assertThat(outcome).isNotDone();

        ami.send(response(action.get("actionid"), "Success", "PJSIP/trunk-00000002", "4",
                "cti-3p-1795322295.1-far", "13900008888"));

        assertThat(outcome.get(2, TimeUnit.SECONDS)).isEqualTo(new OriginateResult(true, 4, "PJSIP/trunk-00000002",
                "cti-3p-1795322295.1-far"));
        // OriginateResponse is the adapter's own business: no PbxEvent for it
        assertThat(events).hasSize(2);
    }

    @Test
    void anOriginateResponseArrivingBeforeTheActionsResponseStillSettlesIt() throws Exception {
        // Asterisk writes the response and the event separately: a fast failure can overtake the response
        ami.reply("Originate", a -> {
            try {
                ami.send(response(a.get("actionid"), "Failure", "PJSIP/110@trunk", "3", "<unknown>", "<unknown>"));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return FakeAmiServer.Reply.success("Message: Originate successfully queued");
        });

        OriginateResult result = adapter.originate(POLICE).toCompletableFuture().get(2, TimeUnit.SECONDS);

        assertThat(result).isEqualTo(new OriginateResult(false, 3, "PJSIP/110@trunk", ""));
        assertThat(result.status()).isEqualTo("noanswer");
    }

    @Test
    void aRefusedOriginateFailsItsStage() {
        ami.reply("Originate", a -> FakeAmiServer.Reply.error("Permission denied"));

        assertThatThrownBy(() -> adapter.originate(POLICE).toCompletableFuture().get(2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PbxActionException.class)
                .satisfies(e -> assertThat(((PbxActionException) e).outcome())
                        .isEqualTo(PbxActionException.Outcome.REFUSED));
    }

    @Test
    void anOriginateStillWaitingWhenTheSessionEndsFailsAsUnknown() throws Exception {
        ami.reply("Originate", a -> FakeAmiServer.Reply.success("Message: Originate successfully queued"));
        CompletableFuture<OriginateResult> outcome = adapter.originate(POLICE).toCompletableFuture();
        await().until(() -> ami.actions("Originate").size() == 1);

        ami.dropClient();

        assertThatThrownBy(() -> outcome.get(3, TimeUnit.SECONDS)).cause()
                .isInstanceOf(PbxActionException.class)
                .satisfies(e -> assertThat(((PbxActionException) e).outcome())
                        .isEqualTo(PbxActionException.Outcome.UNKNOWN));
    }

    @Test
    void dialplanSyntaxInAnyFieldIsRefusedBeforeAnythingIsSent() {
        OriginateRequest injected = new OriginateRequest("PJSIP/110@trunk", "hotline-conference", "1795322295.1",
                Duration.ofSeconds(30), "${SHELL(id)}", "", Map.of());

        assertThatThrownBy(() -> adapter.originate(injected)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ami.actions("Originate")).isEmpty();
    }
}
