package org.hotlinecti.sim.pbx;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.hotlinecti.sim.pbx.ami.AmiMessage;

/**
 * An AMI client on a plain socket, like the capture tool's logger: one connection that sends the actions and records
 * every message it receives (responses and events interleaved exactly as they arrive).
 */
final class RecordingAmiClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final List<AmiMessage> messages = new CopyOnWriteArrayList<>();
    private final List<Consumer<AmiMessage>> listeners = new CopyOnWriteArrayList<>();
    private volatile String banner;
    private volatile boolean closed;

    private RecordingAmiClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        Thread reader = new Thread(this::readLoop, "recording-ami-client");
        reader.setDaemon(true);
        reader.start();
    }

    static RecordingAmiClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        return new RecordingAmiClient(s);
    }

    /** Called on the reader thread for every message, after it was recorded; must not block. */
    void addListener(Consumer<AmiMessage> listener) {
        listeners.add(listener);
    }

    synchronized void send(AmiMessage action) throws IOException {
        out.write(action.toWire().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    String banner() {
        return banner;
    }

    List<AmiMessage> messages() {
        return List.copyOf(messages);
    }

    boolean closed() {
        return closed;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readLoop() {
        try (InputStream in = socket.getInputStream()) {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            AmiMessage.Builder builder = AmiMessage.builder();
            boolean inMessage = false;
            int b;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    line.write(b);
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                if (text.endsWith("\r")) {
                    text = text.substring(0, text.length() - 1);
                }
                if (banner == null) {
                    banner = text;
                    continue;
                }
                if (text.isEmpty()) {
                    if (inMessage) {
                        AmiMessage m = builder.build();
                        messages.add(m);
                        for (Consumer<AmiMessage> l : listeners) {
                            l.accept(m);
                        }
                        builder = AmiMessage.builder();
                        inMessage = false;
                    }
                    continue;
                }
                inMessage = true;
                int colon = text.indexOf(": ");
                if (colon < 0) {
                    builder.add(text, "");
                } else {
                    builder.add(text.substring(0, colon), text.substring(colon + 2));
                }
            }
        } catch (IOException e) {
            // closed by us or by the server
        } finally {
            closed = true;
        }
    }
}
