package org.hotlinecti.cti.call;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.recording.RecordingLayout;

/**
 * The voicemail a waiting caller gets when its queue exits to voicemail (acd.queues[].max_wait_target, diversion or
 * closed_target {@code voicemail}): the prompt {@value #PROMPT} (坐席繁忙，请在提示音后留言), then a recording named like
 * any voicemail of the centre. The outcome carries reason {@value #REASON}; the ticket gets disposition voicemail,
 * the recording and a call back, as for a closed line.
 */
public final class QueueVoicemailFlow implements IvrFlowRunner {

    /** Played before the beep. */
    public static final String PROMPT = "hotline/queue-voicemail";
    /** The voicemail's reason in the outcome and the IVR path. */
    public static final String REASON = "queue_exit";
    /** The longest message, as the shipped out-of-hours voicemail flow allows. */
    static final Duration MAX_LENGTH = Duration.ofSeconds(120);
    /** Silence that ends the message. */
    static final Duration SILENCE = Duration.ofSeconds(5);

    private final RecordingLayout layout;
    private final Clock clock;

    /** @param layout names voicemails ({@link RecordingLayout#voicemailName}); its root is not used here */
    public QueueVoicemailFlow(RecordingLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    @Override
    public CompletionStage<IvrOutcome> run(Channel channel, AgiCall call, DepartmentLine line) {
        String file = layout.voicemailName(call.channel().linkedId(), clock.instant());
        List<String> path = new ArrayList<>();
        return channel.play(PROMPT, "")
                .thenCompose(played -> {
                    path.add("voicemail");
                    return channel.record(file, "wav", "#", MAX_LENGTH, SILENCE, true);
                })
                .<IvrOutcome>thenApply(recording -> new IvrOutcome.Voicemail(line, recording, REASON, path))
                .exceptionally(failure -> {
                    if (ChannelHungUpException.isCauseOf(failure)) {
                        return new IvrOutcome.CallerHungUp(path);
                    }
                    throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
                });
    }
}
