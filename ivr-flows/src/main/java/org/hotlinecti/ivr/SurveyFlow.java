package org.hotlinecti.ivr;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The post-call satisfaction survey (满意度评价), played when the agent hangs up first.
 *
 * <p>Keys follow the usual 12345 prompt: 1 非常满意, 2 满意, 3 基本满意, 4 不满意, 5 非常不满意. The score returned
 * is the other way round (5 = 非常满意 … 1 = 非常不满意) so that higher is better in reports.
 */
public final class SurveyFlow {

    public static final String PROMPT = "hotline/survey";
    public static final String THANKS_PROMPT = "hotline/survey-thanks";

    private final Duration timeout;

    public SurveyFlow(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Asks once; empty when the caller pressed nothing valid or hung up before pressing. A caller who hangs up during
     * the thank-you still counts. The stage never fails for a caller hang-up.
     */
    public CompletionStage<Optional<Integer>> run(Channel channel) {
        CompletionStage<Optional<Integer>> asked = channel.readDigits(PROMPT, 1, timeout)
                .thenApply(input -> scoreOf(input.digits()));
        return Flows.endOnHangUp(asked, Optional::empty).thenCompose(score -> {
            if (score.isEmpty()) {
                return CompletableFuture.completedFuture(score);
            }
            CompletionStage<Optional<Integer>> thanked = channel
                    .setVariable("SURVEY_SCORE", String.valueOf(score.get()))
                    .thenCompose(set -> channel.play(THANKS_PROMPT, ""))
                    .thenApply(played -> score);
            // the answer is in; the caller just did not wait for the thanks
            return Flows.endOnHangUp(thanked, () -> score);
        });
    }

    /** Score for a key: {@code "1"} → 5 … {@code "5"} → 1; empty for anything else. */
    public static Optional<Integer> scoreOf(String key) {
        if (key.length() == 1 && key.charAt(0) >= '1' && key.charAt(0) <= '5') {
            return Optional.of(6 - (key.charAt(0) - '0'));
        }
        return Optional.empty();
    }

    /** The Chinese label of a score (5 非常满意 … 1 非常不满意). */
    public static String label(int score) {
        return switch (score) {
            case 5 -> "非常满意";
            case 4 -> "满意";
            case 3 -> "基本满意";
            case 2 -> "不满意";
            case 1 -> "非常不满意";
            default -> throw new IllegalArgumentException("score must be 1..5, was " + score);
        };
    }
}
