package org.hotlinecti.sim.sip;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.DialogTimeoutEvent;
import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipListenerExt;
import gov.nist.javax.sip.SipStackImpl;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.EventObject;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.InvalidArgumentException;
import javax.sip.ListeningPoint;
import javax.sip.ObjectInUseException;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipException;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransportNotSupportedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JAIN-SIP RI stack hosting any number of UDP SipProviders, each with its own {@link SipEventHandler}.
 *
 * <p>The RI accepts exactly one SipListener per stack; this class is that listener and hands each event to the
 * handler of the provider it came from. The stack is configured for a simulator: a single event thread (events in
 * arrival order), one parser thread per listening point instead of one thread per datagram, no congestion-auditor
 * thread, automatic dialog support, and logging through SLF4J only (no files).
 */
final class DispatchingSipStack {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchingSipStack.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final int PORT_PROBES = 8;

    static {
        // RI classes log through a static "legacy" logger that each new stack replaces; until the first stack exists
        // the RI would fall back to log4j (reload4j) and print "no appenders" warnings on stderr.
        if (CommonLogger.legacyLogger == null) {
            CommonLogger.legacyLogger = new Slf4jStackLogger();
        }
    }

    private final String name;
    private final SipStackImpl stack;
    private final SipMessages messages;
    private final Map<SipProvider, SipEventHandler> handlers = new ConcurrentHashMap<>();
    private final List<ListeningPoint> listeningPoints = new CopyOnWriteArrayList<>();
    private final Listener listener = new Listener();
    private volatile boolean closed;

    private DispatchingSipStack(String name, SipStackImpl stack, SipMessages messages) {
        this.name = name;
        this.stack = stack;
        this.messages = messages;
    }

    /** Creates and starts a stack; {@code name} only labels its threads and log lines. */
    static DispatchingSipStack start(String name) {
        String stackName = name + "-" + STACKS.incrementAndGet();
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.SERVER_LOGGER", Slf4jServerLogger.class.getName());
        // One parser thread per listening point keeps each socket's datagrams in order and avoids the default of a
        // new thread per datagram; events reach the listener on the single EventScanner thread.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        // The congestion auditor costs a timer thread per listening point; a simulator does not shed load.
        p.setProperty("gov.nist.javax.sip.CONGESTION_CONTROL_TIMEOUT", "0");
        // The RI defaults its threads to MAX_PRIORITY; a simulator must not outrank the system under test.
        p.setProperty("gov.nist.javax.sip.THREAD_PRIORITY", String.valueOf(Thread.NORM_PRIORITY));
        p.setProperty("gov.nist.javax.sip.RECEIVE_UDP_BUFFER_SIZE", "262144");
        // the stack allocates a receive array of this size for every datagram (64 KiB by default): a third of the
        // sim's garbage in a busy scenario, and GC pauses inflate the latencies the scenarios measure. Our messages
        // are well under 4 KB (RFC 3261 §18.1.1: over 1300 bytes goes by TCP anyway).
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "8192");
        p.setProperty("gov.nist.javax.sip.SEND_UDP_BUFFER_SIZE", "262144");
        try {
            SipStackImpl stack = new SipStackImpl(p);
            stack.start();
            return new DispatchingSipStack(stackName, stack, new SipMessages());
        } catch (SipException e) {
            throw new IllegalStateException("cannot start JAIN-SIP stack " + stackName + ": " + e.getMessage(), e);
        }
    }

    SipMessages messages() {
        return messages;
    }

    SipStackImpl stack() {
        return stack;
    }

    /**
     * Binds UDP on {@code host:port} ({@code 0}: a free port) and routes the new provider's events to {@code handler}.
     *
     * @throws IOException if the address cannot be bound
     */
    SipProvider addProvider(String host, int port, SipEventHandler handler) throws IOException {
        if (closed) {
            throw new IllegalStateException("SIP stack " + name + " is closed");
        }
        ListeningPoint lp = bind(host, port);
        try {
            SipProvider provider = stack.createSipProvider(lp);
            handlers.put(provider, handler);
            provider.addSipListener(listener);
            listeningPoints.add(lp);
            return provider;
        } catch (ObjectInUseException | java.util.TooManyListenersException e) {
            deleteQuietly(lp);
            throw new IOException("cannot attach a provider to " + host + ":" + lp.getPort() + ": " + e.getMessage(), e);
        }
    }

    private ListeningPoint bind(String host, int port) throws IOException {
        for (int attempt = 1; ; attempt++) {
            int candidate = port != 0 ? port : freeUdpPort(host);
            try {
                return stack.createListeningPoint(host, candidate, ListeningPoint.UDP);
            } catch (InvalidArgumentException e) {
                // With port 0 another socket may have taken the probed port in between: probe again.
                if (port != 0 || attempt >= PORT_PROBES) {
                    throw new IOException("cannot bind UDP " + host + ":" + candidate + ": " + e.getMessage(), e);
                }
            } catch (TransportNotSupportedException e) {
                throw new IllegalStateException("the RI does not support UDP?", e);
            }
        }
    }

    /** The RI cannot bind port 0 (it would advertise port 0 in Via/Contact), so find a free port first. */
    private static int freeUdpPort(String host) throws IOException {
        try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0))) {
            return probe.getLocalPort();
        }
    }

    /**
     * Closes every socket now and stops the stack's threads in the background: the RI's {@code stop()} sleeps a
     * full second before it returns, which would make every test and every actor restart pay that second.
     */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (ListeningPoint lp : listeningPoints) {
            deleteQuietly(lp);
        }
        handlers.clear();
        EventScanner scanner = stack.getEventScanner();
        Thread stopper = new Thread(() -> {
            try {
                stack.stop();
            } catch (RuntimeException e) {
                LOG.warn("stopping SIP stack {} failed", name, e);
            }
            // In RI 1.3.0-91 stop() only flags the event thread, which stays blocked on its queue forever: hand it
            // one last (ignored) event so it wakes up, sees the flag and ends.
            if (scanner != null) {
                scanner.addEvent(new EventWrapper(new IOExceptionEvent(stack, "127.0.0.1", 0, ListeningPoint.UDP), null));
            }
        }, "sip-stack-stop-" + name);
        stopper.start();
    }

    private void deleteQuietly(ListeningPoint lp) {
        try {
            stack.deleteListeningPoint(lp);
        } catch (ObjectInUseException | RuntimeException e) {
            // The RI's processor may not have started its thread yet (it then has no channels to close).
            LOG.debug("deleting listening point {}:{} of {} failed: {}", lp.getIPAddress(), lp.getPort(), name, e.toString());
        }
    }

    private SipEventHandler handlerOf(EventObject event) {
        if (closed || !(event.getSource() instanceof SipProvider provider)) {
            return null;
        }
        return handlers.get(provider);
    }

    /** The stack's only SipListener: hands events on and keeps the RI's event thread alive whatever happens. */
    private final class Listener implements SipListenerExt {

        @Override
        public void processRequest(RequestEvent event) {
            SipEventHandler h = handlerOf(event);
            if (h != null) {
                guard("request " + event.getRequest().getMethod(), () -> h.onRequest(event));
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            SipEventHandler h = handlerOf(event);
            if (h != null) {
                guard("response " + event.getResponse().getStatusCode(), () -> h.onResponse(event));
            }
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
            SipEventHandler h = handlerOf(event);
            if (h != null) {
                guard("timeout", () -> h.onTimeout(event));
            }
        }

        @Override
        public void processDialogTimeout(DialogTimeoutEvent event) {
            SipEventHandler h = handlerOf(event);
            if (h != null) {
                guard("dialog timeout", () -> h.onDialogTimeout(event));
            }
        }

        @Override
        public void processDialogTerminated(DialogTerminatedEvent event) {
            SipEventHandler h = handlerOf(event);
            if (h != null) {
                guard("dialog terminated", () -> h.onDialogTerminated(event));
            }
        }

        @Override
        public void processIOException(IOExceptionEvent event) {
            if (!closed) {
                LOG.warn("SIP I/O error on {} towards {}:{} ({})", name, event.getHost(), event.getPort(),
                        event.getTransport());
            }
        }

        @Override
        public void processTransactionTerminated(TransactionTerminatedEvent event) {
            // Nothing to do: calls keep their own state.
        }

        private void guard(String what, Runnable action) {
            try {
                action.run();
            } catch (RuntimeException e) {
                LOG.error("SIP stack {}: handling {} failed", name, what, e);
            }
        }
    }
}
