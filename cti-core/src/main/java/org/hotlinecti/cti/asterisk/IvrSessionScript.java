package org.hotlinecti.cti.asterisk;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiNetworkException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.NamedAgiScript;
import org.hotlinecti.cti.call.AgiCall;
import org.hotlinecti.cti.call.ChannelRef;
import org.hotlinecti.cti.util.PhoneNumbers;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One FastAGI entry point ({@code inbound}, {@code survey}): asks for the Linkedid, builds the {@link AgiCall} and runs
 * the IVR; the session's thread waits for the flow's stage. A caller hanging up is normal and logged in one line; only an IVR failure gets a
 * stack trace. Nothing escapes to Asterisk-Java, which would log every exception with a stack trace.
 */
final class IvrSessionScript implements NamedAgiScript {

    private static final Logger log = LoggerFactory.getLogger(IvrSessionScript.class);

    static final String LINKEDID_EXPRESSION = "${CHANNEL(linkedid)}";
    private static final String UNKNOWN = "unknown";

    private final String name;
    private final BiFunction<Channel, AgiCall, CompletionStage<Void>> entryPoint;
    private final AtomicInteger activeSessions;

    IvrSessionScript(String name, BiFunction<Channel, AgiCall, CompletionStage<Void>> entryPoint, AtomicInteger activeSessions) {
        this.name = name;
        this.entryPoint = entryPoint;
        this.activeSessions = activeSessions;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void service(AgiRequest request, AgiChannel agiChannel) {
        String channelName = request.getChannel();
        activeSessions.incrementAndGet();
        try {
            AgiIvrChannel channel = new AgiIvrChannel(agiChannel, channelName);
            AgiCall call = describe(name, request, linkedId(agiChannel, request));
            log.info("FastAGI '{}' on {} (Linkedid {}) from {} to {}", name, channelName, call.channel().linkedId(),
                    PhoneNumbers.mask(call.callerNumber()), call.dialledNumber());
            // Asterisk-Java closes the session when service() returns, so this thread waits for the flow
            entryPoint.apply(channel, call).toCompletableFuture().join();
            log.debug("FastAGI '{}' on {} ended", name, channelName);
        } catch (ChannelHungUpException e) {
            log.info("FastAGI '{}' ended: {}", name, e.getMessage());
        } catch (CompletionException e) {
            if (e.getCause() instanceof ChannelHungUpException hungUp) {
                log.info("FastAGI '{}' ended: {}", name, hungUp.getMessage());
            } else {
                log.error("IVR '{}' failed on {}", name, channelName, e.getCause());
            }
        } catch (RuntimeException e) {
            log.error("IVR '{}' failed on {}", name, channelName, e);
        } finally {
            activeSessions.decrementAndGet();
        }
    }

    /** The header has no Linkedid; Asterisk evaluates the CHANNEL function for us. */
    private static String linkedId(AgiChannel agiChannel, AgiRequest request) {
        try {
            String linkedId = agiChannel.getFullVariable(LINKEDID_EXPRESSION);
            if (linkedId != null && !linkedId.isBlank()) {
                return linkedId;
            }
            log.warn("{} did not tell its Linkedid; using its Uniqueid {}", request.getChannel(),
                    request.getUniqueId());
        } catch (AgiHangupException | AgiNetworkException e) {
            throw new ChannelHungUpException(request.getChannel() + " hung up before the IVR started");
        } catch (AgiException e) {
            log.warn("Cannot read the Linkedid of {} ({}); using its Uniqueid {}", request.getChannel(), e,
                    request.getUniqueId());
        }
        return request.getUniqueId();
    }

    static AgiCall describe(String script, AgiRequest request, String linkedId) {
        ChannelRef channel = new ChannelRef(request.getChannel(), request.getUniqueId(), linkedId);
        String dnid = request.getDnid();
        String dialled = dnid == null || dnid.isBlank() || UNKNOWN.equalsIgnoreCase(dnid)
                ? nonNull(request.getExtension())
                : dnid;
        return new AgiCall(script, channel, nonNull(request.getCallerIdNumber()),
                nonNull(request.getCallerIdName()), dialled, arguments(request));
    }

    /** URL query parameters by name (first value), then the AGI() arguments as {@code arg_1}, {@code arg_2} ... */
    private static Map<String, String> arguments(AgiRequest request) {
        Map<String, String> arguments = new LinkedHashMap<>();
        request.getParameterMap().forEach((key, values) -> arguments.put(key, values.length == 0 ? "" : values[0]));
        String[] positional = request.getArguments();
        for (int i = 0; positional != null && i < positional.length; i++) {
            arguments.put("arg_" + (i + 1), nonNull(positional[i]));
        }
        return Collections.unmodifiableMap(arguments);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
