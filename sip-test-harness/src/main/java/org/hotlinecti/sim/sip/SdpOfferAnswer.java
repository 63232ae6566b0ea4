package org.hotlinecti.sim.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sdp.Attribute;
import javax.sdp.MediaDescription;
import javax.sdp.SdpException;
import javax.sdp.SdpFactory;
import javax.sdp.SessionDescription;

/**
 * SDP for a signalling-only endpoint: offers and answers PCMU/PCMA with telephone-event, as in the Asterisk traces,
 * but no RTP is ever sent or received on the advertised ports. Offers are parsed with the RI's JAIN-SDP parser.
 */
final class SdpOfferAnswer {

    /** Static payload types this endpoint accepts, in its order of preference when it offers. */
    private static final List<String> CODECS = List.of("0", "8");
    private static final String TELEPHONE_EVENT = "101";
    private static final int FIRST_MEDIA_PORT = 10_000;
    private static final int MEDIA_PORTS = 10_000;
    private static final AtomicInteger NEXT_PORT = new AtomicInteger();

    private SdpOfferAnswer() {
    }

    /** An even port in 10000-19998, like Asterisk's rtp.conf range; nothing is bound to it. */
    static int fakeMediaPort() {
        return FIRST_MEDIA_PORT + Math.floorMod(NEXT_PORT.getAndAdd(2), MEDIA_PORTS);
    }

    /** An offer of PCMU, PCMA and telephone-event 101 from {@code host}. */
    static String offer(String host) {
        return render(host, CODECS, TELEPHONE_EVENT);
    }

    /**
     * The answer to {@code offerSdp}: the offered codecs this endpoint supports, in the offer's order, plus
     * telephone-event with the offer's payload type if offered.
     *
     * @throws NotAcceptableException if the offer has no audio stream with PCMU or PCMA (SIP 488)
     * @throws IllegalArgumentException if the text is not SDP (SIP 400)
     */
    static String answer(String offerSdp, String host) {
        SessionDescription offer;
        try {
            offer = SdpFactory.getInstance().createSessionDescription(offerSdp);
        } catch (SdpException e) {
            throw new IllegalArgumentException("malformed SDP offer: " + e.getMessage(), e);
        }
        try {
            List<?> media = offer.getMediaDescriptions(false);
            if (media != null) {
                for (Object o : media) {
                    MediaDescription md = (MediaDescription) o;
                    if (!"audio".equalsIgnoreCase(md.getMedia().getMediaType())) {
                        continue;
                    }
                    List<String> common = new ArrayList<>();
                    for (Object f : md.getMedia().getMediaFormats(true)) {
                        String pt = f.toString().trim();
                        if (CODECS.contains(pt)) {
                            common.add(pt);
                        }
                    }
                    if (!common.isEmpty()) {
                        return render(host, common, telephoneEventType(md));
                    }
                }
            }
        } catch (SdpException e) {
            throw new IllegalArgumentException("malformed SDP offer: " + e.getMessage(), e);
        }
        throw new NotAcceptableException("no audio stream with PCMU or PCMA in the offer");
    }

    private static String telephoneEventType(MediaDescription md) throws SdpException {
        List<?> attributes = md.getAttributes(false);
        if (attributes == null) {
            return null;
        }
        for (Object o : attributes) {
            Attribute a = (Attribute) o;
            String value = a.getValue();
            if ("rtpmap".equalsIgnoreCase(a.getName()) && value != null
                    && value.toLowerCase(Locale.ROOT).contains("telephone-event/")) {
                return value.trim().split("\\s+", 2)[0];
            }
        }
        return null;
    }

    private static String render(String host, List<String> codecs, String telephoneEvent) {
        long session = ThreadLocalRandom.current().nextLong(1, 1_000_000_000L);
        StringBuilder sdp = new StringBuilder()
                .append("v=0\r\n")
                .append("o=- ").append(session).append(' ').append(session).append(" IN IP4 ").append(host).append("\r\n")
                .append("s=hotline-cti sim\r\n")
                .append("c=IN IP4 ").append(host).append("\r\n")
                .append("t=0 0\r\n")
                .append("m=audio ").append(fakeMediaPort()).append(" RTP/AVP ").append(String.join(" ", codecs));
        if (telephoneEvent != null) {
            sdp.append(' ').append(telephoneEvent);
        }
        sdp.append("\r\n");
        for (String pt : codecs) {
            sdp.append("a=rtpmap:").append(pt).append(pt.equals("0") ? " PCMU/8000" : " PCMA/8000").append("\r\n");
        }
        if (telephoneEvent != null) {
            sdp.append("a=rtpmap:").append(telephoneEvent).append(" telephone-event/8000\r\n");
            sdp.append("a=fmtp:").append(telephoneEvent).append(" 0-16\r\n");
        }
        sdp.append("a=ptime:20\r\n").append("a=sendrecv\r\n");
        return sdp.toString();
    }

    /** The offer has nothing this endpoint can answer: SIP 488 Not Acceptable Here. */
    static final class NotAcceptableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotAcceptableException(String message) {
            super(message);
        }
    }
}
