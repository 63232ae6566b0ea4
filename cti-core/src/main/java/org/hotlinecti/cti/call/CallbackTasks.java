package org.hotlinecti.cti.call;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.hotlinecti.acd.AcdEvent;
import org.hotlinecti.cti.api.CallbackTask;

/**
 * The call backs that fell due (callback in queue): made from the engine's {@link AcdEvent.CallbackDue} on the call
 * loop and kept there, the most recent {@value #MAX_TASKS}; read as an immutable copy. They live in memory: a restart
 * loses the list, but every such call's ticket carries {@code callback_required}.
 */
final class CallbackTasks {

    static final int MAX_TASKS = 10_000;
    /** The key of the line's number in the engine's attached call data. */
    static final String LINE = "line";

    private final Deque<CallbackTask> tasks = new ArrayDeque<>();

    CallbackTask add(AcdEvent.CallbackDue due) {
        CallbackTask task = new CallbackTask(due.callId(), due.queue(), due.caller() == null ? "" : due.caller(),
                due.data().getOrDefault(LINE, ""), due.at(), due.waited().toSeconds());
        tasks.addLast(task);
        if (tasks.size() > MAX_TASKS) {
            tasks.removeFirst();
        }
        return task;
    }

    /** A call back owed at once: the queue's exit (max wait, diversion, closed) is {@code callback}. */
    CallbackTask add(AcdEvent.CallExited exit, String caller, java.time.Duration waited) {
        CallbackTask task = new CallbackTask(exit.callId(), exit.queue(), caller == null ? "" : caller,
                exit.data().getOrDefault(LINE, ""), exit.at(), waited.toSeconds());
        tasks.addLast(task);
        if (tasks.size() > MAX_TASKS) {
            tasks.removeFirst();
        }
        return task;
    }

    List<CallbackTask> snapshot() {
        return List.copyOf(tasks);
    }
}
