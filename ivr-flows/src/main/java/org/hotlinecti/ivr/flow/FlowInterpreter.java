package org.hotlinecti.ivr.flow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.hotlinecti.ivr.Channel;
import org.hotlinecti.ivr.ChannelHungUpException;
import org.hotlinecti.ivr.DepartmentLine;
import org.hotlinecti.ivr.IvrOutcome;
import org.hotlinecti.ivr.MenuChoice;
import org.hotlinecti.ivr.RecordingResult;
import org.hotlinecti.ivr.RoutingRequest;
import org.hotlinecti.ivr.SubCentre;
import org.hotlinecti.ivr.SurveyFlow;

/**
 * Runs flows against a {@link Channel} without ever blocking a thread: each node chains its channel operations
 * and the next node is started when they complete. Operations that complete at once (as in tests, or an already
 * answered channel) are followed in a loop rather than by nested continuations, so a long flow cannot overflow the
 * stack. Thousands of calls may run at once; each holds only its own small state.
 *
 * <p>The flow ends with exactly one {@link IvrOutcome}; a caller hang-up anywhere ends it with
 * {@link IvrOutcome.CallerHungUp} (the stage never fails for that). A voicemail ends normally also when the caller
 * hangs up while recording.
 */
public final class FlowInterpreter {

    /** Nodes one call may pass before the flow is cut short (a misconfigured loop through a menu, say). */
    public static final int MAX_STEPS = 200;

    private static final Duration DEFAULT_TRANSFER_TIMEOUT = Duration.ofSeconds(30);

    private final Supplier<IvrConfig> config;
    private final VoicemailNaming naming;

    /**
     * Voicemails named {@link VoicemailNaming#byLineAndDay}, in the zone of the calendar's clock.
     *
     * @param config the configuration in force, read once at the start of each call (e.g. {@code registry::current})
     */
    public FlowInterpreter(Supplier<IvrConfig> config) {
        this.config = config;
        this.naming = null;
    }

    /**
     * @param config the configuration in force, read once at the start of each call (e.g. {@code registry::current})
     * @param naming names voicemail files (the CTI's recording layout)
     */
    public FlowInterpreter(Supplier<IvrConfig> config, VoicemailNaming naming) {
        this.config = config;
        this.naming = java.util.Objects.requireNonNull(naming, "naming");
    }

    /** Runs the flow of the caller's line ({@link DepartmentLine#flowId()}). */
    public CompletionStage<IvrOutcome> run(Channel channel, IvrCall call) {
        return run(channel, call, call.line().flowId());
    }

    /**
     * Runs the named flow (e.g. {@code survey} or {@code not-accepted}) for a caller.
     *
     * @throws IllegalArgumentException when no flow has that id
     */
    public CompletionStage<IvrOutcome> run(Channel channel, IvrCall call, String flowId) {
        IvrConfig snapshot = config.get();
        Flow flow = snapshot.flows().flow(flowId).orElseThrow(() -> new IllegalArgumentException(
                "no flow '" + flowId + "' (flows: " + String.join(", ", snapshot.flows().flows().keySet()) + ")"));
        Run run = new Run(snapshot, channel, call, naming);
        CompletableFuture<IvrOutcome> result = new CompletableFuture<>();
        channel.answer().whenComplete((answered, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                run.drive(new Step.Next(flow, flow.start()), result);
            }
        });
        return result.handle((outcome, failure) -> {
            if (failure == null) {
                return outcome;
            }
            if (ChannelHungUpException.isCauseOf(failure)) {
                return new IvrOutcome.CallerHungUp(run.path);
            }
            throw failure instanceof CompletionException ce ? ce : new CompletionException(failure);
        });
    }

    /** The id of the post-call satisfaction survey flow. */
    public static final String SURVEY_FLOW = "survey";

    /**
     * Runs the {@value #SURVEY_FLOW} flow and gives its score, 5 非常满意 … 1 非常不满意 (as {@link SurveyFlow}); empty
     * when the caller pressed nothing valid or hung up before pressing. Lets operators change the survey's prompts
     * and retries in the flow file; the stage never fails for a caller hang-up.
     */
    public CompletionStage<Optional<Integer>> survey(Channel channel, IvrCall call) {
        return run(channel, call, SURVEY_FLOW).thenApply(outcome -> outcome instanceof IvrOutcome.Ended ended
                && ended.reason().matches("survey:[1-5]")
                ? Optional.of(Integer.parseInt(ended.reason().substring("survey:".length())))
                : Optional.<Integer>empty());
    }

    /** Where a node leads. */
    private sealed interface Step {
        record Next(Flow flow, String node) implements Step {
        }

        record Finish(IvrOutcome outcome) implements Step {
        }
    }

    /** One call's way through the flows. Only ever touched by one stage at a time. */
    private static final class Run {
        private final IvrConfig config;
        private final Channel channel;
        private final IvrCall call;
        private final List<String> path = new ArrayList<>();
        private final Map<String, String> data;
        private final VoicemailNaming naming;
        private int steps;

        Run(IvrConfig config, Channel channel, IvrCall call, VoicemailNaming naming) {
            this.config = config;
            this.channel = channel;
            this.call = call;
            this.naming = naming;
            this.data = new LinkedHashMap<>(call.data());
        }

        private DepartmentLine line() {
            return call.line();
        }

        void drive(Step first, CompletableFuture<IvrOutcome> result) {
            Step step = first;
            while (true) {
                if (step instanceof Step.Finish finish) {
                    result.complete(finish.outcome());
                    return;
                }
                Step.Next next = (Step.Next) step;
                if (++steps > MAX_STEPS) {
                    path.add("step-limit");
                    result.complete(new IvrOutcome.Route(request(Optional.empty(), Optional.empty(),
                            Optional.empty(), 0, false, Optional.empty(), Map.of())));
                    return;
                }
                CompletableFuture<Step> stage;
                try {
                    stage = execute(next.flow(), next.flow().node(next.node())).toCompletableFuture();
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                    return;
                }
                if (!stage.isDone()) {
                    stage.whenComplete((s, failure) -> {
                        if (failure != null) {
                            result.completeExceptionally(failure);
                        } else {
                            drive(s, result);
                        }
                    });
                    return;
                }
                if (stage.isCompletedExceptionally()) {
                    stage.whenComplete((s, failure) -> result.completeExceptionally(failure));
                    return;
                }
                step = stage.join();
            }
        }

        private CompletionStage<Step> execute(Flow flow, Node node) {
            if (node instanceof Node.Play play) {
                path.add(play.id());
                return playAll(play.prompts()).thenApply(done -> new Step.Next(flow, play.next()));
            }
            if (node instanceof Node.LineMenu lineMenu) {
                path.add(lineMenu.id());
                return lineMenu(flow, lineMenu);
            }
            if (node instanceof Node.Menu menu) {
                path.add(menu.id());
                return menu(flow, menu, 0);
            }
            if (node instanceof Node.ReadDigits read) {
                path.add(read.id());
                return readDigits(flow, read, 0);
            }
            if (node instanceof Node.SetData set) {
                data.putAll(set.data());
                CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
                for (Map.Entry<String, String> v : set.variables().entrySet()) {
                    chain = chain.thenCompose(x -> channel.setVariable(v.getKey(), v.getValue()));
                }
                return chain.thenApply(x -> new Step.Next(flow, set.next()));
            }
            if (node instanceof Node.Route route) {
                return route(route);
            }
            if (node instanceof Node.Transfer transfer) {
                return transfer(flow, transfer);
            }
            if (node instanceof Node.Voicemail voicemail) {
                return voicemail(voicemail);
            }
            if (node instanceof Node.Survey survey) {
                path.add(survey.id());
                return survey(flow, survey, 0);
            }
            if (node instanceof Node.Hangup hangup) {
                path.add(hangup.id());
                // the CTI ends the call (the dialplan hangs up once the AGI session is over)
                return playAll(hangup.prompts())
                        .thenApply(x -> new Step.Finish(new IvrOutcome.Ended(hangup.reason(), path)));
            }
            if (node instanceof Node.Branch branch) {
                Condition.Facts facts = new Condition.Facts(line(), call.callerNumber(), data, config.calendar());
                String target = branch.cases().stream().filter(c -> c.condition().test(facts))
                        .map(Node.Case::next).findFirst().orElse(branch.otherwise());
                return CompletableFuture.completedFuture(new Step.Next(flow, target));
            }
            Node.Goto go = (Node.Goto) node;
            Flow target = config.flows().flow(go.flow()).orElseThrow();
            return CompletableFuture.completedFuture(new Step.Next(target, target.start()));
        }

        /** The sound file of a prompt for this call; empty when the line has no such prompt. */
        private Optional<String> file(PromptRef prompt) {
            if (prompt instanceof PromptRef.Catalogue c) {
                return Optional.of(config.prompts().soundFile(c.id()));
            }
            if (prompt instanceof PromptRef.LineWelcome) {
                return Optional.of(line().welcomePrompt());
            }
            if (prompt instanceof PromptRef.LineMergedNotice) {
                return line().mergedNotice();
            }
            return config.calendar().hours(line().hoursId()).flatMap(oh -> Optional.ofNullable(oh.prompt()))
                    .map(config.prompts()::soundFile);
        }

        private CompletionStage<Void> playAll(List<PromptRef> prompts) {
            CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
            for (PromptRef prompt : prompts) {
                Optional<String> file = file(prompt);
                if (file.isPresent()) {
                    chain = chain.thenCompose(x -> channel.play(file.get(), "")).thenApply(key -> null);
                }
            }
            return chain;
        }

        private CompletionStage<Void> playOptional(Optional<PromptRef> prompt) {
            return prompt.map(p -> playAll(List.of(p))).orElse(CompletableFuture.completedFuture(null));
        }

        private CompletionStage<Step> lineMenu(Flow flow, Node.LineMenu lineMenu) {
            Optional<String> prompt = file(lineMenu.prompt());
            if (prompt.isEmpty()) {
                return CompletableFuture.completedFuture(new Step.Next(flow, lineMenu.next()));
            }
            return channel.play(prompt.get(), line().menuKeys()).thenCompose(key -> {
                MenuChoice choice = key == 0 ? null : line().menu().get(String.valueOf(key));
                if (choice == null) {
                    return CompletableFuture.completedFuture(new Step.Next(flow, lineMenu.next()));
                }
                path.add("menu:" + key + " " + choice.label());
                return route(new Node.Route(lineMenu.id(), lineMenu.line(), Optional.of(choice.skill()),
                        Optional.empty(), Optional.of(Math.max(line().priority(), choice.priority())), 0, false,
                        Optional.empty(), Map.of()));
            });
        }

        private CompletionStage<Step> menu(Flow flow, Node.Menu menu, int attempt) {
            String prompt = file(menu.prompt()).orElseThrow();
            if (menu.timeout().isZero()) {
                return channel.play(prompt, menu.escapeDigits()).thenApply(key -> key == 0
                        ? new Step.Next(flow, menu.noInput()) : chosen(flow, menu, key));
            }
            return channel.readDigits(prompt, 1, menu.timeout()).thenCompose(input -> {
                if (input.isEmpty()) {
                    if (attempt < menu.retries()) {
                        return menu(flow, menu, attempt + 1);
                    }
                    path.add(menu.id() + ":no-input");
                    return CompletableFuture.completedFuture(new Step.Next(flow, menu.noInput()));
                }
                char key = input.digits().charAt(0);
                if (menu.keys().containsKey(key)) {
                    return CompletableFuture.completedFuture(chosen(flow, menu, key));
                }
                path.add(menu.id() + ":invalid " + key);
                return playOptional(menu.invalidPrompt()).thenCompose(x -> attempt < menu.retries()
                        ? menu(flow, menu, attempt + 1)
                        : CompletableFuture.completedFuture(new Step.Next(flow, menu.onInvalid())));
            });
        }

        private Step chosen(Flow flow, Node.Menu menu, char key) {
            Node.MenuKey chosen = menu.keys().get(key);
            path.add(menu.id() + ":" + key + (chosen.label() == null ? "" : " " + chosen.label()));
            return new Step.Next(flow, chosen.next());
        }

        private CompletionStage<Step> readDigits(Flow flow, Node.ReadDigits read, int attempt) {
            String prompt = file(read.prompt()).orElseThrow();
            return channel.readDigits(prompt, read.maxLength(), read.timeout()).thenCompose(input -> {
                Optional<String> value = input.isEmpty() ? Optional.empty() : read.format().normalise(input.digits());
                if (value.isPresent()) {
                    data.put(read.store(), value.get());
                    return CompletableFuture.completedFuture(new Step.Next(flow, read.next()));
                }
                path.add(read.id() + (input.isEmpty() ? ":no-input" : ":invalid"));
                CompletionStage<Void> told = input.isEmpty() ? CompletableFuture.completedFuture(null)
                        : playOptional(read.invalidPrompt());
                return told.thenCompose(x -> attempt < read.retries()
                        ? readDigits(flow, read, attempt + 1)
                        : CompletableFuture.completedFuture(new Step.Next(flow, read.onFailure())));
            });
        }

        private RoutingRequest request(Optional<String> skill, Optional<Integer> minLevel, Optional<Integer> priority,
                int boost, boolean pool, Optional<String> queue, Map<String, String> extra) {
            DepartmentLine base = pool ? config.lineDirectory().mainLine() : line();
            Map<String, String> attached = new LinkedHashMap<>(data);
            attached.putAll(extra);
            String s = skill.orElse(base.skill());
            return new RoutingRequest(line(), s, minLevel.orElse(base.minLevel()),
                    priority.orElse(base.priority()) + boost, path, attached, queue);
        }

        private CompletionStage<Step> route(Node.Route route) {
            DepartmentLine base = route.pool() ? config.lineDirectory().mainLine() : line();
            String skill = route.skill().orElse(base.skill());
            path.add("queue:" + skill);
            RoutingRequest request = request(route.skill(), route.minLevel(), route.priority(),
                    route.priorityBoost(), route.pool(), route.queue(), route.data());
            return channel.setVariable("CTI_LINE", line().number())
                    .thenCompose(x -> channel.setVariable("CTI_SKILL", skill))
                    .thenApply(x -> new Step.Finish(new IvrOutcome.Route(request)));
        }

        private CompletionStage<Step> transfer(Flow flow, Node.Transfer transfer) {
            Optional<SubCentre> subCentre = transfer.subCentre() ? line().subCentre() : Optional.empty();
            if (transfer.subCentre() && subCentre.isEmpty()) {
                // a sub-centre flow run for a line without one: the caller still gets the 12345 pool
                path.add("transfer:no-sub-centre");
                return route(new Node.Route(transfer.id(), transfer.line(), Optional.empty(), Optional.empty(),
                        Optional.empty(), 0, true, Optional.empty(), Map.of()));
            }
            String number = subCentre.map(SubCentre::number).orElseGet(() -> transfer.number().orElseThrow());
            String label = !transfer.label().isEmpty() ? transfer.label() : line().name() + " 分中心";
            Duration timeout = transfer.answerTimeout()
                    .orElse(subCentre.map(SubCentre::answerTimeout).orElse(DEFAULT_TRANSFER_TIMEOUT));
            boolean fallbackAllowed = !transfer.subCentre() || line().poolFallback();
            return playOptional(transfer.prompt()).thenApply(x -> {
                path.add("transfer:" + label);
                Optional<RoutingRequest> fallback = transfer.fallback().filter(f -> fallbackAllowed).map(f -> {
                    Node.Route r = (Node.Route) flow.node(f);
                    return request(r.skill(), r.minLevel(), r.priority(), r.priorityBoost(), r.pool(), r.queue(),
                            r.data());
                });
                return new Step.Finish(new IvrOutcome.Transfer(
                        transfer.subCentre() ? IvrOutcome.TransferKind.SUB_CENTRE : IvrOutcome.TransferKind.EXTERNAL,
                        number, label, transfer.threeParty(), timeout, subCentre.flatMap(SubCentre::trunk),
                        fallback, path));
            });
        }

        private CompletionStage<Step> voicemail(Node.Voicemail voicemail) {
            path.add(voicemail.id());
            return playOptional(voicemail.prompt())
                    .thenCompose(x -> channel.record(fileFor(), "wav", "#", voicemail.maxLength(),
                            voicemail.silence(), voicemail.beep()))
                    .thenCompose(recording -> {
                        Step finish = new Step.Finish(new IvrOutcome.Voicemail(line(), recording, voicemail.reason(),
                                path));
                        if (recording.endedBy() == RecordingResult.End.CALLER_HUNG_UP || voicemail.thanks().isEmpty()) {
                            return CompletableFuture.completedFuture(finish);
                        }
                        // the message is in: a caller who does not wait for the thanks still left it
                        return playOptional(voicemail.thanks()).handle((x, failure) -> {
                            if (failure != null && !ChannelHungUpException.isCauseOf(failure)) {
                                throw failure instanceof CompletionException ce ? ce
                                        : new CompletionException(failure);
                            }
                            return finish;
                        });
                    });
        }

        private String fileFor() {
            VoicemailNaming n = naming != null ? naming
                    : VoicemailNaming.byLineAndDay(config.calendar().clock().getZone());
            return n.name(call, config.calendar().clock().instant());
        }

        private CompletionStage<Step> survey(Flow flow, Node.Survey survey, int attempt) {
            String prompt = file(survey.prompt()).orElseThrow();
            return channel.readDigits(prompt, 1, survey.timeout()).thenCompose(input -> {
                Optional<Integer> score = SurveyFlow.scoreOf(input.digits());
                if (score.isEmpty()) {
                    CompletionStage<Void> told = input.isEmpty() ? CompletableFuture.completedFuture(null)
                            : playOptional(survey.invalidPrompt());
                    return told.thenCompose(x -> {
                        if (attempt < survey.retries()) {
                            return survey(flow, survey, attempt + 1);
                        }
                        path.add("survey:none");
                        return CompletableFuture.completedFuture(survey.next().<Step>map(n -> new Step.Next(flow, n))
                                .orElseGet(() -> new Step.Finish(new IvrOutcome.Ended("survey:none", path))));
                    });
                }
                int value = score.get();
                data.put("survey_score", String.valueOf(value));
                data.put("survey_label", SurveyFlow.label(value));
                path.add("survey:" + value);
                Step after = survey.next().<Step>map(n -> new Step.Next(flow, n))
                        .orElseGet(() -> new Step.Finish(new IvrOutcome.Ended("survey:" + value, path)));
                CompletionStage<Step> thanked = channel.setVariable("SURVEY_SCORE", String.valueOf(value))
                        .thenCompose(x -> playOptional(survey.thanks())).thenApply(x -> after);
                return thanked.handle((s, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(s);
                    }
                    // the answer is in; a caller who does not wait for the thanks still counts
                    return ChannelHungUpException.isCauseOf(failure) && after instanceof Step.Finish
                            ? CompletableFuture.completedFuture(after)
                            : CompletableFuture.<Step>failedFuture(failure);
                }).thenCompose(s -> s);
            });
        }
    }
}
