package org.hotlinecti.acd;

import java.util.Arrays;

/**
 * The ready agents of one (skill, level) bucket in one ordering (idle since, calls answered or talk time, each then
 * by idle since and definition order): an array-backed binary min-heap on three primitive keys, so sifting never
 * touches agent objects. An agent leaving the ready set only moves its generation on ({@code indexGen}); its entries
 * here die with it and are dropped when they reach the head (the head is always live) or when dead entries outnumber
 * live ones (compaction).
 */
final class AgentHeap {

    private final int order;
    private SkillAcd.Agent[] heap = new SkillAcd.Agent[8];
    private long[] k1 = new long[8];
    private long[] k2 = new long[8];
    private long[] k3 = new long[8];
    private int[] gens = new int[8];
    private int size;
    private int live;

    /** @param order one of SkillAcd's heap orderings (idle, calls, talk) */
    AgentHeap(int order) {
        this.order = order;
    }

    /** The best ready agent, or null. */
    SkillAcd.Agent first() {
        return live == 0 ? null : heap[0];
    }

    /** Whether this heap's head ranks before {@code other}'s head (both non-empty). */
    boolean firstBefore(AgentHeap other) {
        return before(k1[0], k2[0], k3[0], other.k1[0], other.k2[0], other.k3[0]);
    }

    /** Adds an agent just indexed (its generation is current, its keys fixed while it stays ready). */
    void add(SkillAcd.Agent a) {
        if (size == heap.length) {
            int n = size * 2;
            heap = Arrays.copyOf(heap, n);
            k1 = Arrays.copyOf(k1, n);
            k2 = Arrays.copyOf(k2, n);
            k3 = Arrays.copyOf(k3, n);
            gens = Arrays.copyOf(gens, n);
        }
        long a1;
        long a2;
        long a3;
        switch (order) {
            case SkillAcd.ORDER_CALLS -> {
                a1 = a.answeredCalls;
                a2 = a.idleSinceMs;
                a3 = a.ordinal;
            }
            case SkillAcd.ORDER_TALK -> {
                a1 = a.talkMs;
                a2 = a.idleSinceMs;
                a3 = a.ordinal;
            }
            default -> {
                a1 = a.idleSinceMs;
                a2 = a.ordinal;
                a3 = 0;
            }
        }
        size++;
        live++;
        int i = size - 1;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(a1, a2, a3, k1[parent], k2[parent], k3[parent])) {
                break;
            }
            set(i, heap[parent], k1[parent], k2[parent], k3[parent], gens[parent]);
            i = parent;
        }
        set(i, a, a1, a2, a3, a.indexGen);
    }

    /** One of this heap's agents left the ready set (its generation has already moved on). */
    void removed() {
        live--;
        while (size > 0 && !alive(0)) {
            poll();
        }
        if (size > 64 && size > 2 * live) {
            compact();
        }
    }

    private boolean alive(int i) {
        SkillAcd.Agent a = heap[i];
        return a.indexed && a.indexGen == gens[i];
    }

    private static boolean before(long a1, long a2, long a3, long b1, long b2, long b3) {
        return a1 < b1 || (a1 == b1 && (a2 < b2 || (a2 == b2 && a3 < b3)));
    }

    private void poll() {
        size--;
        SkillAcd.Agent last = heap[size];
        long l1 = k1[size];
        long l2 = k2[size];
        long l3 = k3[size];
        int gen = gens[size];
        heap[size] = null;
        if (size > 0) {
            down(0, last, l1, l2, l3, gen);
        }
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (alive(i)) {
                set(n++, heap[i], k1[i], k2[i], k3[i], gens[i]);
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            down(i, heap[i], k1[i], k2[i], k3[i], gens[i]);
        }
    }

    private void down(int i, SkillAcd.Agent a, long a1, long a2, long a3, int gen) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && before(k1[right], k2[right], k3[right], k1[child], k2[child], k3[child])) {
                child = right;
            }
            if (!before(k1[child], k2[child], k3[child], a1, a2, a3)) {
                break;
            }
            set(i, heap[child], k1[child], k2[child], k3[child], gens[child]);
            i = child;
        }
        set(i, a, a1, a2, a3, gen);
    }

    private void set(int i, SkillAcd.Agent a, long a1, long a2, long a3, int gen) {
        heap[i] = a;
        k1[i] = a1;
        k2[i] = a2;
        k3[i] = a3;
        gens[i] = gen;
    }
}
