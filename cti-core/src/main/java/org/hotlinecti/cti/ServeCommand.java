package org.hotlinecti.cti;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.hotlinecti.cti.config.ConfigLoader;
import org.hotlinecti.cti.asterisk.ami.AmiHealth;
import org.hotlinecti.cti.config.CtiConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve --config FILE}: the production server against a real Asterisk. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs the CTI against a real Asterisk (see deploy/asterisk/ and README).",
            "FILE is read on top of the built-in reference configuration; the AMI secret may come from "
                + "HOTLINE_AMI_SECRET."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "YAML configuration file")
    Path config;

    @Override
    public Integer call() throws Exception {
        CtiConfig c = new ConfigLoader().load(config);
        SecretPolicy.check(c.asterisk().ami().secret());
        CtiServer server = CtiServer.start(c, Clock.system(c.zoneId()));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        AmiHealth ami = server.amiHealth();
        String amiLine = ami.state() == AmiHealth.State.CONNECTED
                ? "AMI " + c.asterisk().ami().host() + ":" + c.asterisk().ami().port() + " connected"
                : "AMI " + c.asterisk().ami().host() + ":" + c.asterisk().ami().port() + " not reachable yet ("
                        + ami.lastError() + "), retrying";
        System.out.println("hotline-cti serving: web " + server.baseUrl() + ", FastAGI port " + server.agiPort()
                + ", " + amiLine);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            // stopped from inside the JVM (an embedding launcher, a test): close now rather than at JVM exit
            Runtime.getRuntime().removeShutdownHook(hook);
            server.close();
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
