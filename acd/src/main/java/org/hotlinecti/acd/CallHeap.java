package org.hotlinecti.acd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The waiting calls of one relaxation step: an array-backed binary min-heap by (score key, arrival sequence).
 *
 * <p>Built for the latency of a decision, which is made of cache misses and GC write barriers: keys sit in primitive
 * arrays and entries are int ids (the reference to the call is written once, when it is added), so sifting compares
 * and moves primitives only, never touching call objects nor storing references. Removing a call that is
 * not the head (a hang-up, a relaxation step, an exit) only marks its entry dead (the call's generation moves on);
 * dead entries are dropped when they reach the head, and the heap is compacted when they outnumber the live ones.
 * The head is always live. Reading the best call is O(1); adding and removing are O(log n) amortised.
 */
final class CallHeap implements Iterable<SkillAcd.Call> {

    /** Entry id to call: written once when an entry is added, so sifting moves ints, never references. */
    private SkillAcd.Call[] slots = new SkillAcd.Call[8];
    private int[] freeIds = new int[8];
    private int freeCount;
    private int nextId;

    private int[] ids = new int[8];
    private long[] keys = new long[8];
    private long[] seqs = new long[8];
    private int[] gens = new int[8];
    private int size;
    private int live;

    /** Live calls. */
    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    /** The best call; the heap must not be empty. */
    SkillAcd.Call first() {
        if (live == 0) {
            throw new NoSuchElementException();
        }
        return slots[ids[0]];
    }

    /** Whether this heap's best call ranks before {@code c} (this heap must not be empty). */
    boolean firstBefore(SkillAcd.Call c) {
        return keys[0] < c.key || (keys[0] == c.key && seqs[0] < c.seq);
    }

    void add(SkillAcd.Call c) {
        if (size == ids.length) {
            int n = size * 2;
            ids = Arrays.copyOf(ids, n);
            keys = Arrays.copyOf(keys, n);
            seqs = Arrays.copyOf(seqs, n);
            gens = Arrays.copyOf(gens, n);
        }
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            id = nextId++;
            if (id == slots.length) {
                slots = Arrays.copyOf(slots, id * 2);
                freeIds = Arrays.copyOf(freeIds, id * 2);
            }
        }
        slots[id] = c;
        c.heapGen++;
        c.heap = this;
        size++;
        live++;
        up(size - 1, id, c.key, c.seq, c.heapGen);
    }

    void remove(SkillAcd.Call c) {
        if (c.heap != this) {
            throw new IllegalStateException("call " + c.id + " is not in this heap");
        }
        boolean head = slots[ids[0]] == c;
        c.heap = null;
        c.heapGen++;
        live--;
        if (head) {
            poll();
        }
        dropDeadHead();
        if (size > 64 && size > 2 * live) {
            compact();
        }
    }

    /** How many live calls rank before {@code c} (O(n)). */
    int countBefore(SkillAcd.Call c) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (alive(i) && (keys[i] < c.key || (keys[i] == c.key && seqs[i] < c.seq))) {
                n++;
            }
        }
        return n;
    }

    private boolean alive(int i) {
        SkillAcd.Call c = slots[ids[i]];
        return c.heap == this && c.heapGen == gens[i];
    }

    private void dropDeadHead() {
        while (size > 0 && !alive(0)) {
            poll();
        }
    }

    private void release(int id) {
        slots[id] = null;
        freeIds[freeCount++] = id;
    }

    private void poll() {
        release(ids[0]);
        size--;
        if (size > 0) {
            down(0, ids[size], keys[size], seqs[size], gens[size]);
        }
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (alive(i)) {
                set(n++, ids[i], keys[i], seqs[i], gens[i]);
            } else {
                release(ids[i]);
            }
        }
        size = n;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            down(i, ids[i], keys[i], seqs[i], gens[i]);
        }
    }

    private void up(int i, int id, long key, long seq, int gen) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!(key < keys[parent] || (key == keys[parent] && seq < seqs[parent]))) {
                break;
            }
            set(i, ids[parent], keys[parent], seqs[parent], gens[parent]);
            i = parent;
        }
        set(i, id, key, seq, gen);
    }

    private void down(int i, int id, long key, long seq, int gen) {
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && (keys[right] < keys[child]
                    || (keys[right] == keys[child] && seqs[right] < seqs[child]))) {
                child = right;
            }
            if (!(keys[child] < key || (keys[child] == key && seqs[child] < seq))) {
                break;
            }
            set(i, ids[child], keys[child], seqs[child], gens[child]);
            i = child;
        }
        set(i, id, key, seq, gen);
    }

    private void set(int i, int id, long key, long seq, int gen) {
        ids[i] = id;
        keys[i] = key;
        seqs[i] = seq;
        gens[i] = gen;
    }

    /** The live calls, in no particular order. */
    @Override
    public Iterator<SkillAcd.Call> iterator() {
        List<SkillAcd.Call> all = new ArrayList<>(live);
        for (int i = 0; i < size; i++) {
            if (alive(i)) {
                all.add(slots[ids[i]]);
            }
        }
        return all.iterator();
    }
}
