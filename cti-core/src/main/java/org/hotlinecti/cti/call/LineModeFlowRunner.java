package org.hotlinecti.cti.call;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.InboundFlow;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.MenuChoice;
import org.hotlinecti.ivr.RoutingRequest;
import org.hotlinecti.recording.RecordingLayout;

/**
 * The interim flow runner: the walking skeleton's flow, plus what {@link LineBehaviour} says a line does: closed
 * (prompt naming the hours, then voicemail), 设分中心 (the sub-centre first, the 12345 pool as fallback), and menu keys
 * that transfer (110/119/120) or end the call after a notice. It exists so that the CTI, dialplan and scenarios for
 * these outcomes can be built and tested before the YAML flow interpreter and the business calendar land; they
 * replace it behind {@link IvrFlowRunner}.
 */
public final class LineModeFlowRunner implements IvrFlowRunner {

    /** Prompt played on a closed line before the voicemail beep, followed by the line number. */
    public static final String CLOSED_PROMPT = "hotline/closed-";
    /** The longest voicemail. */
    public static final Duration VOICEMAIL_MAX = Duration.ofSeconds(120);
    /** Silence that ends a voicemail. */
    public static final Duration VOICEMAIL_SILENCE = Duration.ofSeconds(5);

    private final Map<String, LineBehaviour> behaviours;
    private final RecordingLayout layout;
    private final Clock clock;
    private final InboundFlow inbound = new InboundFlow();

    /**
     * @param behaviours by line number; a line not listed is {@link LineBehaviour#PLAIN}
     * @param layout     names voicemails ({@link RecordingLayout#voicemailName}); its root is not used here
     */
    public LineModeFlowRunner(Map<String, LineBehaviour> behaviours, RecordingLayout layout, Clock clock) {
        this.behaviours = Map.copyOf(behaviours);
        this.layout = layout;
        this.clock = clock;
    }

    @Override
    public CompletionStage<IvrOutcome> run(Channel channel, AgiCall call, DepartmentLine line) {
        LineBehaviour b = behaviours.getOrDefault(line.number(), LineBehaviour.PLAIN);
        if (b.isPlain()) {
            return inbound.run(channel, line);
        }
        List<String> path = new ArrayList<>();
        CompletionStage<IvrOutcome> flow;
        if (b.closed()) {
            flow = voicemail(channel, call, line, path);
        } else if (b.mode() == LineBehaviour.Mode.SUB_CENTRE) {
            flow = subCentre(channel, line, b.subCentre(), path);
        } else {
            flow = menu(channel, line, b, path);
        }
        return flow.handle((outcome, failure) -> {
            if (failure == null) {
                return outcome;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof ChannelHungUpException) {
                return new IvrOutcome.CallerHungUp(path);
            }
            throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
        });
    }

    private CompletionStage<IvrOutcome> voicemail(Channel channel, AgiCall call, DepartmentLine line,
            List<String> path) {
        String file = layout.voicemailName(call.channel().linkedId(), clock.instant());
        return channel.answer()
                .thenCompose(answered -> {
                    path.add("closed");
                    return channel.play(CLOSED_PROMPT + line.number(), "");
                })
                .thenCompose(played -> {
                    path.add("voicemail");
                    return channel.record(file, "wav", "#", VOICEMAIL_MAX, VOICEMAIL_SILENCE, true);
                })
                .thenApply(recording -> new IvrOutcome.Voicemail(line, recording, "closed", path));
    }

    private static CompletionStage<IvrOutcome> subCentre(Channel channel, DepartmentLine line,
            LineBehaviour.SubCentre subCentre, List<String> path) {
        return channel.answer()
                .thenCompose(answered -> {
                    path.add("welcome");
                    return channel.play(line.welcomePrompt(), "");
                })
                .thenCompose(played -> channel.setVariable("CTI_LINE", line.number()))
                .thenApply(set -> {
                    path.add("sub_centre:" + subCentre.number());
                    RoutingRequest pool = new RoutingRequest(line, line.skill(), line.minLevel(), line.priority(),
                            List.of());
                    return new IvrOutcome.Transfer(subCentre.number(), line.name() + " 分中心", false,
                            subCentre.answerTimeout(), Optional.of(pool), path);
                });
    }

    private static CompletionStage<IvrOutcome> menu(Channel channel, DepartmentLine line, LineBehaviour b,
            List<String> path) {
        String keys = line.menuKeys() + String.join("", b.keys().keySet());
        return channel.answer()
                .thenCompose(answered -> {
                    path.add("welcome");
                    return channel.play(line.welcomePrompt(), keys);
                })
                .thenCompose(key -> {
                    String pressed = key == 0 ? null : String.valueOf(key);
                    LineBehaviour.KeyAction action = pressed == null ? null : b.keys().get(pressed);
                    if (action instanceof LineBehaviour.TransferKey t) {
                        path.add("menu:" + pressed + " " + t.label());
                        path.add("transfer:" + t.number());
                        return CompletableFuture.completedFuture(new IvrOutcome.Transfer(t.number(), t.label(),
                                t.threeParty(), t.answerTimeout(), Optional.empty(), path));
                    }
                    if (action instanceof LineBehaviour.EndKey e) {
                        path.add("menu:" + pressed + " " + e.label());
                        return channel.play(e.notice(), "").thenApply(played -> {
                            path.add("notice:" + e.reason());
                            return new IvrOutcome.Ended(e.reason(), path);
                        });
                    }
                    MenuChoice choice = pressed == null ? null : line.menu().get(pressed);
                    return route(channel, line, choice, pressed, path);
                });
    }

    /** As the walking skeleton's flow routes: the chosen skill or the line's, and the line's variables. */
    private static CompletionStage<IvrOutcome> route(Channel channel, DepartmentLine line, MenuChoice choice,
            String key, List<String> path) {
        String skill = choice == null ? line.skill() : choice.skill();
        int priority = choice == null ? line.priority() : Math.max(line.priority(), choice.priority());
        if (choice != null) {
            path.add("menu:" + key + " " + choice.label());
        }
        path.add("queue:" + skill);
        return channel.setVariable("CTI_LINE", line.number())
                .thenCompose(set -> channel.setVariable("CTI_SKILL", skill))
                .thenApply(set -> new IvrOutcome.Route(
                        new RoutingRequest(line, skill, line.minLevel(), priority, path)));
    }
}
