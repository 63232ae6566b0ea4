package org.hotlinecti.sim.pbx.agi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.AgiScript;
import org.asteriskjava.fastagi.DefaultAgiServer;
import org.asteriskjava.util.ServerSocketFacade;
import org.hotlinecti.sim.pbx.agi.AgiChannelPort.Playback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Asterisk-Java's DefaultAgiServer runs real AgiScripts against the client, as it would against Asterisk. */
class AsteriskJavaFastAgiCompatibilityTest {

    private TestAgiServer server;
    private Thread serverThread;
    private final Map<String, Object> seen = new ConcurrentHashMap<>();
    private final List<Throwable> scriptErrors = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        if (server != null) {
            server.shutdown();
            serverThread.join(5000);
        }
    }

    private void start(AgiScript script) {
        server = new TestAgiServer((request, channel) -> {
            try {
                script.service(request, channel);
            } catch (AgiException | RuntimeException e) {
                scriptErrors.add(e);
                throw e;
            }
        });
        serverThread = new Thread(() -> {
            try {
                server.startup();
            } catch (IOException e) {
                scriptErrors.add(e);
            }
        }, "asterisk-java-agi-server");
        serverThread.setDaemon(true);
        serverThread.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> server.boundPort > 0);
    }

    private static FakeChannel channel() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("channel", "PJSIP/trunk-00000002");
        env.put("language", "en");
        env.put("type", "PJSIP");
        env.put("uniqueid", "1795322295.2");
        env.put("version", "22.10.1");
        env.put("callerid", "13800001111");
        env.put("calleridname", "sipp");
        env.put("dnid", "12345");
        env.put("context", "from-trunk");
        env.put("extension", "12345");
        env.put("priority", "2");
        return new FakeChannel(env).variable("CHANNEL(linkedid)", "1795322295.2");
    }

    @Test
    void scriptRunsEveryCommandKind() throws Exception {
        start((AgiRequest request, AgiChannel ch) -> {
            seen.put("script", request.getScript());
            seen.put("channel", request.getChannel());
            seen.put("uniqueid", request.getUniqueId());
            seen.put("callerid", request.getCallerIdNumber());
            seen.put("dnid", request.getDnid());
            seen.put("arg", String.valueOf(request.getParameter("line")));
            ch.answer();
            seen.put("stream", (int) ch.streamFile("beep", "#"));
            String digits = ch.getData("silence/1", 5000, 1);
            seen.put("getData", digits);
            ch.setVariable("IVR_CHOICE", digits);
            seen.put("getVariable", ch.getVariable("IVR_CHOICE"));
            seen.put("unset", String.valueOf(ch.getVariable("NOPE")));
            seen.put("full", ch.getFullVariable("${CHANNEL(linkedid)}"));
            ch.verbose("inbound done, choice=" + digits, 1);
            seen.put("exec", ch.exec("Playback", "beep"));
            seen.put("wait", (int) ch.waitForDigit(1000));
            seen.put("record", (int) ch.recordFile("/tmp/vm", "wav", "#", 20000));
        });
        FakeChannel ch = channel().plays(new Playback('#', 1200)).digits('1', '9')
                .records(new AgiChannelPort.Recording('#', false, 8000));

        AgiResult result = FastAgiClient.run("agi://127.0.0.1:" + server.boundPort + "/inbound?line=12345", ch,
                Duration.ofSeconds(2));

        assertThat(result).isEqualTo(AgiResult.SUCCESS);
        assertThat(scriptErrors).isEmpty();
        assertThat(seen).containsEntry("script", "inbound").containsEntry("channel", "PJSIP/trunk-00000002")
                .containsEntry("uniqueid", "1795322295.2").containsEntry("callerid", "13800001111")
                .containsEntry("dnid", "12345").containsEntry("arg", "12345")
                .containsEntry("stream", (int) '#').containsEntry("getData", "1")
                .containsEntry("getVariable", "1").containsEntry("unset", "null")
                .containsEntry("full", "1795322295.2").containsEntry("exec", 0)
                .containsEntry("wait", (int) '9').containsEntry("record", (int) '#');
        assertThat(ch.variables).containsEntry("IVR_CHOICE", "1");
    }

    @Test
    void hangupDuringGetDataReachesTheScriptAsAgiHangupException() throws Exception {
        start((request, ch) -> {
            seen.put("getData", ch.getData("silence/1", 5000, 1));
            seen.put("verbose", "before");
            ch.verbose("probe after hangup", 1);
            seen.put("full", ch.getFullVariable("${CHANNEL(linkedid)}"));
            ch.streamFile("beep");
            seen.put("unreachable", true);
        });
        FakeChannel ch = channel().digits(FakeChannel.DIES);

        AgiResult result = FastAgiClient.run("agi://127.0.0.1:" + server.boundPort + "/inbound", ch,
                Duration.ofSeconds(2));

        assertThat(result).isEqualTo(AgiResult.HANGUP);
        assertThat(seen).containsEntry("getData", "-1").containsEntry("full", "1795322295.2")
                .doesNotContainKey("unreachable");
        assertThat(scriptErrors).singleElement().isInstanceOf(AgiHangupException.class);
    }

    /** A DefaultAgiServer on 127.0.0.1 and a free port it tells us. */
    private static final class TestAgiServer extends DefaultAgiServer {
        volatile int boundPort;

        TestAgiServer(AgiScript script) {
            super(script);
            try {
                setAddress(InetAddress.getByName("127.0.0.1"));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            setPort(0);
        }

        @Override
        protected ServerSocketFacade createServerSocket() throws IOException {
            ServerSocketFacade facade = super.createServerSocket();
            try {
                // Asterisk-Java does not expose the port it bound; read it from its facade.
                Field f = facade.getClass().getDeclaredField("serverSocket");
                f.setAccessible(true);
                boundPort = ((ServerSocket) f.get(facade)).getLocalPort();
            } catch (ReflectiveOperationException e) {
                throw new IOException("cannot find the bound port", e);
            }
            return facade;
        }
    }
}
