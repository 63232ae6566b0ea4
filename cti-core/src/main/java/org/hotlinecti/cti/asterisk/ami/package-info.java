/**
 * The CTI's own Asterisk Manager Interface client: {@link org.hotlinecti.cti.asterisk.ami.AmiClient} (one kept-alive,
 * self-reconnecting session), {@link org.hotlinecti.cti.asterisk.ami.AmiAction} (actions, injection-proof headers),
 * {@link org.hotlinecti.cti.asterisk.ami.AmiMessage} (received packets, lazily decoded) and
 * {@link org.hotlinecti.cti.asterisk.ami.AmiListener} (events, on one consumer thread in stream order).
 *
 * <p>Protocol only: no call model, no Asterisk-Java. The socket is read on a Vert.x event loop that never runs
 * listener code; the bytes are split by an explicit decoder with size limits ({@code AmiDecoder}) and handed over
 * through a monitored, never silently dropping queue ({@code AmiEventHandoff}).
 */
package org.hotlinecti.cti.asterisk.ami;
