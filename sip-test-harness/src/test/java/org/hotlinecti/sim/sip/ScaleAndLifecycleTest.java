package org.hotlinecti.sim.sip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Many actors at once, stacks closed and re-created in one JVM, and what the RI leaves behind (nothing). */
class ScaleAndLifecycleTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void fiftyConcurrentCallersThroughOneEndpointAllComplete() throws Exception {
        try (TestPbx pbx = TestPbx.start(); SipPhoneStack world = SipPhoneStack.start("fifty")) {
            List<TrunkCaller> callers = IntStream.range(0, 50)
                    .mapToObj(i -> world.newCaller(String.format("1380000%04d", i), "Caller " + i, "127.0.0.1",
                            pbx.port()))
                    .toList();

            List<CompletableFuture<CallerState>> flows = callers.stream()
                    .map(c -> c.dial("12345").thenCompose(v -> c.sendDtmf("1")).thenCompose(v -> c.hangup())
                            .thenCompose(v -> c.ended()))
                    .toList();
            CompletableFuture.allOf(flows.toArray(CompletableFuture[]::new)).get(20, TimeUnit.SECONDS);

            assertThat(flows).allSatisfy(f -> assertThat(f.join()).isEqualTo(CallerState.ENDED_BY_CALLER));
            assertThat(pbx.inbound).hasSize(50);
            assertThat(pbx.inbound.values()).allSatisfy(call -> {
                assertThat(call.dtmf).containsExactly("1/250");
                assertThat(call.remoteHangups).hasValue(1);
            });
            assertThat(callers.stream().map(TrunkCaller::callId).collect(Collectors.toSet())).hasSize(50);
        }
    }

    @Test
    void twoHundredPhonesRegisterOnOneStackWithTwoThreadsEach() throws Exception {
        try (TestPbx pbx = TestPbx.start(); SipPhoneStack world = SipPhoneStack.start("many-phones")) {
            world.newAgentPhone("warm-up", null, "127.0.0.1", pbx.port()); // the stack's own threads start here
            int before = liveThreads().size();
            List<AgentPhone> phones = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = "agent" + (2000 + i);
                pbx.endpoint.defineEndpoint(name, null, name + "-pw");
                phones.add(world.newAgentPhone(name, name + "-pw", "127.0.0.1", pbx.port()));
            }

            CompletableFuture.allOf(phones.stream().map(AgentPhone::register).toArray(CompletableFuture[]::new))
                    .get(20, TimeUnit.SECONDS);

            assertThat(phones).allSatisfy(p -> assertThat(pbx.endpoint.contactOf(p.endpoint())).contains(p.contactUri()));
            assertThat(phones.stream().map(AgentPhone::contactUri).distinct()).hasSize(200);
            // The RI runs a socket reader and a parser thread per listening point; the pool may add a few.
            assertThat(liveThreads().size() - before).isLessThanOrEqualTo(2 * 200 + 8);
        }
    }

    @Test
    void closingReleasesSocketsAndThreadsAndStacksCanBeRecreated() throws Exception {
        Set<Thread> before = liveThreads();
        for (int round = 0; round < 3; round++) {
            TestPbx pbx = TestPbx.start();
            SipPhoneStack world = SipPhoneStack.start("round-" + round);
            AgentPhone phone = world.newAgentPhone("agent1001", null, "127.0.0.1", pbx.port());
            phone.setBehaviour(PhoneBehaviour.answerAfter(Duration.ZERO));
            TrunkCaller caller = world.newCaller("13800001111", null, "127.0.0.1", pbx.port());
            caller.dial("12345").get(5, TimeUnit.SECONDS);
            TestPbx.OutboundEvents toPhone = pbx.dial("agent1001", phone.contactUri(), new CallerId("13800001111", null));
            await().atMost(WAIT).until(() -> toPhone.events.contains("answered"));
            int pbxPort = pbx.port();
            int phonePort = Integer.parseInt(phone.contactUri().substring(phone.contactUri().lastIndexOf(':') + 1));

            world.close();
            pbx.close();

            // The JDK frees a UDP port once the reader thread blocked on it has woken up: a moment after close().
            await().atMost(WAIT).until(() -> canBind(pbxPort) && canBind(phonePort));
        }
        // The RI's stop() takes a second per stack and runs in the background; Awaitility's own poller is not ours.
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(liveThreads()).filteredOn(
                t -> !before.contains(t) && !t.getName().startsWith("awaitility")).extracting(Thread::getName).isEmpty());
    }

    @Test
    void closingTheWorldFailsWhatStillWaits() throws Exception {
        try (TestPbx pbx = TestPbx.start()) {
            pbx.onInvite = leg -> { };
            SipPhoneStack world = SipPhoneStack.start("closing");
            TrunkCaller caller = world.newCaller("13800001111", null, "127.0.0.1", pbx.port());
            CompletableFuture<Void> dialled = caller.dial("12345");
            await().atMost(WAIT).until(() -> pbx.call(caller.callId()) != null);

            world.close();

            assertThat(dialled).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(SipCallFailedException.NO_RESPONSE));
        }
    }

    @Test
    void aCallerFailsWhenThePbxNeverAnswers() throws Exception {
        int deadPort;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            deadPort = s.getLocalPort();
        }
        try (SipPhoneStack world = SipPhoneStack.start("no-pbx", Clock.systemUTC(), Duration.ofMillis(20))) {
            TrunkCaller caller = world.newCaller("13800001111", null, "127.0.0.1", deadPort);

            assertThat(caller.dial("12345")).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(SipCallFailedException.class,
                            e -> assertThat(e.statusCode()).isEqualTo(SipCallFailedException.NO_RESPONSE));
            assertThat(caller.state()).isEqualTo(CallerState.FAILED);
        }
    }

    @Test
    void theStackWritesNoLogFilesIntoTheWorkingDirectory() throws Exception {
        Set<String> before = logLikeFiles();
        try (TestPbx pbx = TestPbx.start(); SipPhoneStack world = SipPhoneStack.start("no-files")) {
            TrunkCaller caller = world.newCaller("13800001111", null, "127.0.0.1", pbx.port());
            caller.dial("12345").get(5, TimeUnit.SECONDS);
            caller.hangup().get(5, TimeUnit.SECONDS);
        }
        assertThat(logLikeFiles()).isEqualTo(before);
    }

    private static Set<String> logLikeFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".txt") || n.endsWith(".log"))
                    .collect(Collectors.toSet());
        }
    }

    private static boolean canBind(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            return s.isBound();
        } catch (IOException e) {
            return false;
        }
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }
}
