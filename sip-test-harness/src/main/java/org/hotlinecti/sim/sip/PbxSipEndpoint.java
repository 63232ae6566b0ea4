package org.hotlinecti.sim.sip;

import java.io.IOException;
import java.util.Optional;

/**
 * The sim PBX's SIP side: a signalling-only B2BUA half that stands where chan_pjsip stands in a real Asterisk.
 *
 * <p>It answers INVITEs from trunk callers (the carrier side), dials agent phones, and keeps a registrar of agent
 * contacts. It knows nothing of dialplans, AMI or AGI: the PBX core drives it and listens to it. No RTP is sent or
 * received; SDP is exchanged so that peers see a well-formed offer/answer (PCMU/PCMA + telephone-event).
 *
 * <p>Behaviour mirrors what PJSIP was seen doing in {@code ../shared/asterisk/} traces:
 * <ul>
 *   <li>an inbound INVITE gets {@code 100 Trying} at once; the core later calls {@link InboundLeg#answer()} (200 OK)
 *       or {@link InboundLeg#reject(int)}; no 180/183 for the trunk;</li>
 *   <li>DTMF arrives as SIP INFO {@code application/dtmf-relay} ({@code Signal=1}, {@code Duration=250}); each INFO is
 *       answered 200 and reported once through {@link InboundLegListener#onDtmf(char, int)};</li>
 *   <li>an agent is dialled with {@code From: "<caller name>" <sip:<caller number>@host>} (the caller's CallerID) and
 *       CANCELled when the core gives up ({@link OutboundLeg#cancel()});</li>
 *   <li>BYE from either side is answered 200 and reported as a remote hang-up.</li>
 * </ul>
 *
 * <p>Threading: listener callbacks run on the SIP stack's threads and must not block; implementations call each leg's
 * listener in the order the messages arrived for that dialog. All methods are thread-safe.
 */
public interface PbxSipEndpoint extends AutoCloseable {

    /**
     * Binds UDP on {@code host:port} (port 0 picks a free one) and starts accepting INVITEs and REGISTERs.
     *
     * @param inbound told about every new INVITE from a non-agent peer (a trunk caller)
     * @throws IOException if the address cannot be bound
     */
    void start(InboundCallListener inbound) throws IOException;

    /** The host the endpoint listens on (127.0.0.1 in tests). */
    String host();

    /** The UDP port bound by {@link #start}; valid only after it returned. */
    int port();

    /**
     * Declares an endpoint (an agent phone, e.g. {@code agent1001}) as PJSIP's {@code pjsip.conf} would.
     *
     * @param staticContact a SIP URI to dial when the endpoint has not registered, or {@code null}
     * @param password      digest password REGISTER must prove, or {@code null} to accept REGISTER without auth
     */
    void defineEndpoint(String endpoint, String staticContact, String password);

    /**
     * Tells {@code listener} the endpoint's name each time a REGISTER added, refreshed or removed its contact (on a
     * SIP thread; must not block), so the PBX can publish the endpoint's device state. Default: never tells.
     */
    default void onContactChange(java.util.function.Consumer<String> listener) {
    }

    /** The contact to dial for an endpoint: its live registration, else its static contact, else empty. */
    Optional<String> contactOf(String endpoint);

    /**
     * Sends an INVITE to {@code contactUri}, presenting {@code from} as the caller. Never blocks; progress and the
     * outcome are reported to {@code listener} (exactly one of answered / rejected / failed, or a remote hang-up
     * after answered).
     */
    OutboundLeg dial(String endpoint, String contactUri, CallerId from, OutboundLegListener listener);

    /** Stops the stack: hangs up nothing, just releases sockets and threads. Idempotent. */
    @Override
    void close();
}
