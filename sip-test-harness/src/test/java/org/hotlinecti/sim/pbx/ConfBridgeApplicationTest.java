package org.hotlinecti.sim.pbx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.Mockito.mock;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.ami.AmiMessage;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.sip.PbxSipEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * ConfBridge in the sim PBX, run by the shipped dialplan (contexts hotline-threeparty and hotline-conference) with the
 * shipped confbridge.conf profiles: a multi-party bridge with the Confbridge* and Bridge* events, end_marked members
 * leaving with the marked caller, redirects out of the conference, and Linkedids becoming the caller's.
 */
class ConfBridgeApplicationTest {

    private static final Dialplan DIALPLAN = SimPbxConfig.shippedDialplan();

    private final List<AmiMessage> events = new CopyOnWriteArrayList<>();
    private final PbxCore core = new PbxCore(SimPbxConfig.builder().amiUser("cti", "secret").dialplan(DIALPLAN)
            .build(), DIALPLAN, mock(PbxSipEndpoint.class));

    @AfterEach
    void tearDown() {
        for (SimChannel c : channels()) {
            Applications.requestHangup(c, 16, false);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> core.channelCount() == 0);
    }

    private List<SimChannel> channels() {
        List<SimChannel>[] list = new List[1];
        core.locked(() -> list[0] = core.channels());
        return list[0];
    }

    /** A channel on the trunk already answered, running the dialplan from {@code context,exten,1}. */
    private SimChannel run(String uniqueId, String context, String exten) {
        SimChannel[] holder = new SimChannel[1];
        core.locked(() -> {
            SimChannel c = core.newChannel(core.config.trunk(), uniqueId, null);
            c.state = 6;
            c.callerIdNum = "13900008888";
            c.hasRunner = true;
            holder[0] = c;
        });
        ChannelRunner.start(holder[0], new Target(context, exten, 1, null));
        return holder[0];
    }

    private List<String> conferenceEvents() {
        return events.stream().map(m -> m.getOrEmpty("Event"))
                .filter(e -> e.startsWith("Confbridge") || e.startsWith("Bridge")).toList();
    }

    private AmiMessage last(String event) {
        return events.stream().filter(m -> m.getOrEmpty("Event").equals(event)).reduce((a, b) -> b).orElseThrow();
    }

    private void awaitEvent(String event, int count) {
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream()
                .filter(m -> m.getOrEmpty("Event").equals(event)).count() >= count);
    }

    @Test
    void callerFarEndAndAgentShareOneConferenceThatEndsWhenTheMarkedCallerLeaves() {
        core.eventSinks.add(events::add);
        SimChannel caller = run(null, "hotline-threeparty", "110");
        awaitEvent("ConfbridgeJoin", 1);
        String conference = "hotline-" + caller.uniqueId;
        SimChannel far = run("cti-3p-" + caller.uniqueId + "-far", "hotline-conference", caller.uniqueId);
        awaitEvent("ConfbridgeJoin", 2);
        SimChannel agent = run("cti-3p-" + caller.uniqueId + "-agent1", "hotline-conference", caller.uniqueId);
        awaitEvent("ConfbridgeJoin", 3);

        assertThat(conferenceEvents()).containsExactly("BridgeCreate", "ConfbridgeStart", "ConfbridgeJoin",
                "BridgeEnter", "ConfbridgeJoin", "BridgeEnter", "ConfbridgeJoin", "BridgeEnter");
        AmiMessage start = last("ConfbridgeStart");
        assertThat(start.getOrEmpty("Conference")).isEqualTo(conference);
        assertThat(start.getOrEmpty("BridgeType")).isEqualTo("base");
        assertThat(start.getOrEmpty("BridgeTechnology")).isEqualTo("softmix");
        assertThat(start.getOrEmpty("BridgeCreator")).isEqualTo("ConfBridge");
        assertThat(start.getOrEmpty("BridgeName")).isEqualTo(conference);
        AmiMessage join = last("ConfbridgeJoin");
        assertThat(join.getOrEmpty("Conference")).isEqualTo(conference);
        assertThat(join.getOrEmpty("Channel")).isEqualTo(agent.name);
        assertThat(join.getOrEmpty("Uniqueid")).isEqualTo(agent.uniqueId);
        assertThat(join.getOrEmpty("Admin")).isEqualTo("No");
        assertThat(join.getOrEmpty("Muted")).isEqualTo("No");
        assertThat(join.getOrEmpty("BridgeUniqueid")).isEqualTo(start.getOrEmpty("BridgeUniqueid"));
        assertThat(last("BridgeEnter").getOrEmpty("BridgeNumChannels")).isEqualTo("3");
        // in the bridge every member has the caller's (the oldest) Linkedid
        assertThat(join.getOrEmpty("Linkedid")).isEqualTo(caller.uniqueId);
        assertThat(far.linkedId).isEqualTo(caller.uniqueId);

        // the caller hangs up: far end and agent (end_marked) are made to leave, the conference ends
        Applications.remoteHangup(caller);
        await().atMost(Duration.ofSeconds(5)).until(() -> core.channelCount() == 0);
        List<String> all = conferenceEvents();
        assertThat(all.subList(8, all.size())).containsExactly("ConfbridgeLeave", "BridgeLeave", "ConfbridgeLeave",
                "BridgeLeave", "ConfbridgeLeave", "BridgeLeave", "ConfbridgeEnd", "BridgeDestroy");
        assertThat(events.stream().filter(m -> m.getOrEmpty("Event").equals("ConfbridgeLeave"))
                .map(m -> m.getOrEmpty("Channel")).findFirst()).contains(caller.name);
        assertThat(events.stream().filter(m -> m.getOrEmpty("Event").equals("Hangup")).map(m -> m.getOrEmpty(
                "Channel"))).containsExactlyInAnyOrder(caller.name, far.name, agent.name);
        core.locked(() -> assertThat(core.conferences).isEmpty());
    }

    @Test
    void aMemberLeavingDoesNotEndTheConferenceAndARedirectTakesTheCallerOut() {
        core.eventSinks.add(events::add);
        SimChannel caller = run(null, "hotline-threeparty", "119");
        awaitEvent("ConfbridgeJoin", 1);
        SimChannel far = run("cti-3p-" + caller.uniqueId + "-far", "hotline-conference", caller.uniqueId);
        awaitEvent("ConfbridgeJoin", 2);

        Applications.remoteHangup(far);
        awaitEvent("Hangup", 1);
        assertThat(last("ConfbridgeLeave").getOrEmpty("Channel")).isEqualTo(far.name);
        assertThat(events).noneMatch(m -> m.getOrEmpty("Event").equals("ConfbridgeEnd"));

        // the CTI takes the caller out to the notice (AMI Redirect): it leaves, the conference ends, the dialplan goes on
        core.locked(() -> caller.pendingGoto = new Target("hotline-threeparty", "failed", 1, null));
        caller.wake();
        awaitEvent("ConfbridgeEnd", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> events.stream().anyMatch(m -> m.getOrEmpty("Event")
                .equals("Newexten") && m.getOrEmpty("Application").equals("Playback")
                && m.getOrEmpty("AppData").equals("hotline/transfer-failed")));
        assertThat(caller.var("CONFBRIDGE_RESULT")).isEqualTo("DIALPLANREDIRECT");
    }

    @Test
    void theShippedProfilesMarkTheCallerAndEndTheOthersWithIt() throws Exception {
        ConferenceProfiles profiles = ConferenceProfiles.shipped();
        assertThat(profiles.user("hotline_threeparty_caller"))
                .isEqualTo(new ConferenceProfiles.UserProfile(true, false, false));
        assertThat(profiles.user("hotline_threeparty_member"))
                .isEqualTo(new ConferenceProfiles.UserProfile(false, true, false));
        assertThat(profiles.user("no_such_profile")).isEqualTo(ConferenceProfiles.UserProfile.DEFAULT);
        assertThatThrownBy(() -> ConferenceProfiles.parse(new ByteArrayInputStream("[a]\ntype = user\nnonsense\n"
                .getBytes(StandardCharsets.UTF_8)), "bad.conf")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.conf:3");
    }
}
