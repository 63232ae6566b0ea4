package org.hotlinecti.sim.pbx;

import java.util.Optional;
import org.hotlinecti.sim.pbx.Applications.Flow;
import org.hotlinecti.sim.pbx.SimChannel.Target;
import org.hotlinecti.sim.pbx.dialplan.Dialplan;
import org.hotlinecti.sim.pbx.dialplan.Priority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A channel's PBX thread, as Asterisk's {@code __ast_pbx_run}: executes the dialplan from a start location, one
 * priority after the other (a Newexten event each), applies redirects (async goto) and AMI bridges that interrupt an
 * application, and hangs the channel up when the dialplan ends or a hang-up is pending.
 */
final class ChannelRunner implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelRunner.class);

    private final SimChannel c;
    private final Target start;
    private final String application;
    private final String applicationData;

    private ChannelRunner(SimChannel c, Target start, String application, String applicationData) {
        this.c = c;
        this.start = start;
        this.application = application;
        this.applicationData = applicationData;
    }

    /**
     * Starts the channel's thread at a dialplan location. The caller has set {@link SimChannel#hasRunner} with the
     * lock held before the channel's first event, so AMI actions never see a running channel without it.
     */
    static void start(SimChannel c, Target start) {
        launch(c, new ChannelRunner(c, start, null, null));
    }

    /** Starts the channel's thread running one application, then hanging up (Originate with Application). */
    static void startApplication(SimChannel c, String application, String data) {
        launch(c, new ChannelRunner(c, null, application, data));
    }

    private static void launch(SimChannel c, ChannelRunner runner) {
        c.core.locked(() -> {
            if (!c.hasRunner) {
                throw new IllegalStateException(c.name + ": hasRunner must be set before the channel is visible");
            }
        });
        Thread t = new Thread(runner, "pbx-" + c.name);
        t.setDaemon(true);
        c.thread = t;
        t.start();
    }

    @Override
    public void run() {
        PbxCore core = c.core;
        if (application != null) {
            try {
                Applications.run(c, application, applicationData);
            } catch (RuntimeException e) {
                LOG.error("{}: {} failed", c.name, application, e);
            } finally {
                finish();
            }
            return;
        }
        Target at = start;
        try {
            while (!c.hangupPending) {
                Target redirect = c.takePendingGoto();
                if (redirect != null) {
                    at = redirect;
                }
                Bridge bridge = c.takePendingBridge();
                if (bridge != null) {
                    AmiBridging.stayInBridge(c, bridge);
                    continue;
                }
                Optional<Priority> step = resolve(core.dialplan, at);
                if (step.isEmpty()) {
                    break;
                }
                Priority p = step.get();
                Target here = new Target(at.context(), at.exten(), p.number(), null);
                // the channel is at the new priority before its data is substituted (${EXTEN} is the new exten)
                core.locked(() -> {
                    c.context = here.context();
                    c.exten = here.exten();
                    c.priority = here.priority();
                });
                String data;
                try {
                    data = c.substitute(p.data());
                } catch (IllegalArgumentException e) {
                    LOG.error("{}: cannot evaluate '{}' at {},{},{}: {}", c.name, p.data(), at.context(), at.exten(),
                            p.number(), e.getMessage());
                    break;
                }
                core.locked(() -> {
                    c.application = p.application();
                    c.appData = data;
                    core.publish(AmiEvents.newexten(c, p.application(), data));
                });
                Flow flow = Applications.run(c, p.application(), data);
                if (flow instanceof Flow.Jump j) {
                    at = j.target();
                } else if (flow instanceof Flow.Hangup) {
                    break;
                } else {
                    // Next, or Interrupted by a redirect/bridge: both continue after this priority unless a redirect
                    // says otherwise (checked at the top of the loop)
                    at = new Target(here.context(), here.exten(), here.priority() + 1, null);
                }
            }
        } catch (RuntimeException e) {
            LOG.error("{}: dialplan thread failed", c.name, e);
        } finally {
            finish();
        }
    }

    private Optional<Priority> resolve(Dialplan dialplan, Target t) {
        Optional<Dialplan.Extension> ext = dialplan.find(t.context(), t.exten());
        if (ext.isEmpty()) {
            LOG.warn("{}: no extension {} in context {}", c.name, t.exten(), t.context());
            return Optional.empty();
        }
        return t.label() != null ? ext.get().label(t.label()) : ext.get().priority(t.priority());
    }

    /** Hang-up: the soft hang-up if nobody reported one, the Hangup event, BYE to the phone, then forget. */
    private void finish() {
        PbxCore core = c.core;
        core.locked(() -> {
            if (c.hungUp) {
                return;
            }
            if (c.hangupPending && !c.softHangupReported) {
                core.publish(AmiEvents.hangupRequest(c, true, 16));
                c.softHangupReported = true;
            }
            if (!c.hangupPending && c.hangupCause == 0) {
                // the dialplan ran out: Asterisk hangs up with normal clearing
                c.hangupCause = 16;
            }
            core.publish(AmiEvents.hangup(c));
            c.hungUp = true;
            core.remove(c);
            Runnable after = c.afterHangup;
            if (after != null) {
                after.run();
            }
        });
        if (!c.remoteGone) {
            if (c.inbound != null) {
                c.inbound.hangup();
            } else if (c.outbound != null) {
                c.outbound.hangup();
            }
        }
    }
}
