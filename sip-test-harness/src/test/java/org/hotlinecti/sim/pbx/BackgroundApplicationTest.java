package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.DialplanParser;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.Test;

/** Background (hotline-announce): plays every file, a key of the context jumps there, others go to i. */
class BackgroundApplicationTest {

    private static final Dialplan DIALPLAN = DialplanParser.parse("""
            [hotline-announce]
            exten => s,1,Background(hotline/a&hotline/b&hotline/c)
             same => n,Goto(hotline-wait,s,1)
            exten => 1,1,Goto(hotline-wait,1,1)
            exten => i,1,Goto(hotline-wait,s,1)
            """, "test");

    private final PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
            .promptDuration(Duration.ofMillis(200)).build(), DIALPLAN, mock(PbxSipEndpoint.class));
    private final List<String> played = new CopyOnWriteArrayList<>();

    private SimChannel channel() {
        core.observers.add(new MediaObserver() {
            @Override
            public void promptStarted(String sipCallId, String file, String escapeDigits) {
                played.add(file + "/" + escapeDigits);
            }
        });
        SimChannel[] holder = new SimChannel[1];
        core.locked(() -> holder[0] = core.newChannel(core.config.trunk(), null, null));
        holder[0].context = "hotline-announce";
        return holder[0];
    }

    private static Applications.Flow run(SimChannel c) throws Exception {
        return CompletableFuture.supplyAsync(() -> Applications.run(c, "Background", "hotline/a&hotline/b&hotline/c"))
                .get(5, TimeUnit.SECONDS);
    }

    @Test
    void withoutAKeyEveryFileIsPlayedAndTheDialplanGoesOn() throws Exception {
        SimChannel c = channel();
        assertThat(run(c)).isEqualTo(Applications.NEXT);
        // the simulated caller is not asked for keys by an announcement
        assertThat(played).containsExactly("hotline/a/", "hotline/b/", "hotline/c/");
    }

    @Test
    void theCallbackKeyJumpsToItsExtensionAndOtherKeysToI() throws Exception {
        SimChannel c = channel();
        c.post(new SimChannel.Signal.Dtmf('1'));
        // typed before Background started: Asterisk does not buffer keys across applications
        assertThat(run(c)).isEqualTo(Applications.NEXT);

        played.clear();
        CompletableFuture<Applications.Flow> flow = CompletableFuture.supplyAsync(
                () -> Applications.run(c, "Background", "hotline/a&hotline/b&hotline/c"));
        org.awaitility.Awaitility.await().until(() -> played.size() == 2);
        c.post(new SimChannel.Signal.Dtmf('1'));
        assertThat(flow.get(5, TimeUnit.SECONDS)).isEqualTo(new Applications.Flow.Jump(
                new SimChannel.Target("hotline-announce", "1", 1, null)));
        assertThat(played).hasSize(2);

        flow = CompletableFuture.supplyAsync(() -> Applications.run(c, "Background", "hotline/a&hotline/b"));
        org.awaitility.Awaitility.await().until(() -> played.size() == 3);
        c.post(new SimChannel.Signal.Dtmf('7'));
        assertThat(flow.get(5, TimeUnit.SECONDS)).isEqualTo(new Applications.Flow.Jump(
                new SimChannel.Target("hotline-announce", "i", 1, null)));
    }
}
