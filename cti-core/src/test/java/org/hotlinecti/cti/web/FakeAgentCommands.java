package org.hotlinecti.cti.web;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.hotlinecti.cti.api.AgentCommands;
import org.hotlinecti.cti.api.AgentView;
import org.hotlinecti.cti.api.CtiRequestException;

/**
 * Agents 1001 and 1002; every command is recorded as text ({@code login 1001}) and completes on another thread, as the
 * call loop's would. {@link #failNext} makes the next command fail (or throw, for a {@link RuntimeException} given to
 * {@link #throwNext}).
 */
final class FakeAgentCommands implements AgentCommands {

    static final Instant SINCE = Instant.parse("2026-11-22T01:00:00Z");

    final List<String> calls = new CopyOnWriteArrayList<>();
    final Map<String, AgentView> agents = new ConcurrentHashMap<>(Map.of(
            "1001", view("1001", "张三", "logged_out", null),
            "1002", view("1002", "李四", "ready", null)));
    private volatile Throwable failNext;
    private volatile RuntimeException throwNext;

    static AgentView view(String id, String name, String state, String reason) {
        return new AgentView(id, name, "8" + id, Map.of("market", 8), state, reason, SINCE, null);
    }

    void failNext(Throwable failure) {
        failNext = failure;
    }

    void throwNext(RuntimeException failure) {
        throwNext = failure;
    }

    @Override
    public CompletionStage<AgentView> login(String agentId) {
        return command("login " + agentId, () -> change(agentId, "not_ready", "login"));
    }

    @Override
    public CompletionStage<AgentView> ready(String agentId) {
        return command("ready " + agentId, () -> change(agentId, "ready", null));
    }

    @Override
    public CompletionStage<AgentView> notReady(String agentId, String reason) {
        return command("pause " + agentId + " " + reason, () -> change(agentId, "not_ready", reason));
    }

    @Override
    public CompletionStage<AgentView> logout(String agentId) {
        return command("logout " + agentId, () -> change(agentId, "logged_out", null));
    }

    @Override
    public CompletionStage<AgentView> submitForm(String agentId, String draftId, Map<String, String> fields) {
        return command("form " + agentId + " " + draftId + " " + new java.util.TreeMap<>(fields),
                () -> change(agentId, "ready", null));
    }

    @Override
    public CompletionStage<List<AgentView>> agents() {
        return command(null, () -> agents.values().stream().sorted((a, b) -> a.id().compareTo(b.id())).toList());
    }

    private AgentView change(String agentId, String state, String reason) {
        AgentView old = agents.get(agentId);
        if (old == null) {
            throw new CtiRequestException(CtiRequestException.Kind.NOT_FOUND, "no agent " + agentId);
        }
        AgentView changed = new AgentView(agentId, old.name(), old.extension(), old.skills(), state, reason,
                SINCE.plusSeconds(60), null);
        agents.put(agentId, changed);
        return changed;
    }

    private <T> CompletionStage<T> command(String record, Supplier<T> action) {
        RuntimeException thrown = throwNext;
        if (thrown != null) {
            throwNext = null;
            throw thrown;
        }
        if (record != null) {
            calls.add(record);
        }
        Throwable failure = failNext;
        failNext = null;
        return CompletableFuture.supplyAsync(() -> {
            if (failure != null) {
                throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
            }
            return action.get();
        });
    }
}
