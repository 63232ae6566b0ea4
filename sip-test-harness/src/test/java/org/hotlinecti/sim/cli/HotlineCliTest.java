package org.hotlinecti.sim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hotlinecti.cti.Main;
import org.hotlinecti.sim.pbx.SimPbx;
import org.hotlinecti.sim.pbx.SimPbxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The launcher's error contract: one line naming the problem and a non-zero exit, never a bare stack trace. */
class HotlineCliTest {

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter err = new StringWriter();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            CommandLine cli = new CommandLine(new HotlineCli());
            cli.setErr(new PrintWriter(err, true));
            int exit = Main.run(cli, args);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void aMalformedScenarioFileIsOneFailLineAndExitOne() throws IOException {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "name: x\ncalls:\n  - {from: \"13800001111\", to: \"99999\"}\n");

        Run r = run("scenario", bad.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out().strip()).startsWith("FAIL").contains("99999 is not a configured line")
                .doesNotContain("\n");
    }

    @Test
    void serveWithoutASecretRefusesToStart() throws IOException {
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "asterisk: {ami: {secret: \"\"}}\n");

        Run r = run("serve", "--config", config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo(
                "hotline: asterisk.ami.secret is empty: set it in the config file or in HOTLINE_AMI_SECRET");
    }

    @Test
    void serveWithAWellKnownSecretRefusesToStart() throws IOException {
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "asterisk: {ami: {secret: amp111}}\n");

        assertThat(run("serve", "--config", config.toString()).err()).contains("well-known default");
    }

    @Test
    void serveAgainstAnUnreachablePbxStartsAndSaysItKeepsTrying() throws Exception {
        int freePort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            freePort = s.getLocalPort();
        }
        Path config = dir.resolve("hotline.yaml");
        Files.writeString(config, "asterisk: {ami: {host: 127.0.0.1, port: " + freePort + ", secret: s3cr3t-long-enough,"
                + " connect_timeout: 2s}}\nagi: {bind: 127.0.0.1, port: 0}\nhttp: {bind: 127.0.0.1, port: 0}\n"
                + "database: {data_dir: \"" + dir + "\"}\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        java.util.concurrent.atomic.AtomicInteger exit = new java.util.concurrent.atomic.AtomicInteger(-1);
        Thread serve = new Thread(() -> exit.set(Main.run(new CommandLine(new HotlineCli()), "serve", "--config",
                config.toString())), "serve");
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            serve.start();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> out.toString(StandardCharsets.UTF_8).contains("hotline-cti serving"));
        } finally {
            serve.interrupt();
            serve.join(15_000);
            System.setOut(oldOut);
        }

        String line = out.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("hotline-cti serving"))
                .findFirst().orElseThrow();
        assertThat(line).contains("AMI 127.0.0.1:" + freePort + " not reachable yet (cannot reach AMI at 127.0.0.1:"
                + freePort).endsWith("retrying");
        assertThat(serve.isAlive()).isFalse();
        assertThat(exit.get()).isZero();
    }

    @Test
    void serveWithAWrongSecretNamesTheRefusedLogin() throws Exception {
        try (SimPbx pbx = SimPbx.start(SimPbxConfig.builder().amiUser("cti", "the-right-secret").build())) {
            Path config = dir.resolve("hotline.yaml");
            Files.writeString(config, "asterisk: {ami: {host: 127.0.0.1, port: " + pbx.amiPort()
                    + ", secret: not-the-right-secret}}\nagi: {port: 0}\nhttp: {port: 0}\n"
                    + "database: {data_dir: \"" + dir + "\"}\n");

            Run r = run("serve", "--config", config.toString());

            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err().strip()).isEqualTo("hotline: AMI login to 127.0.0.1:" + pbx.amiPort()
                    + " as 'cti' failed: Authentication failed");
        }
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Run r = run("serve", "--config", dir.resolve("nope.yaml").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("hotline: config file not found: " + dir.resolve("nope.yaml"));
    }
}
