package org.hotlinecti.acd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The waiting calls of one relaxation step: an array-backed binary min-heap by (score key, arrival sequence).
 *
 * <p>Built for the latency of a decision, which is made of cache misses: keys sit in primitive arrays next to the
 * call references, so sifting compares and moves entries without touching the call objects. Removing a call that is
 * not the head (a hang-up, a relaxation step, an exit) only marks its entry dead (the call's generation moves on);
 * dead entries are dropped when they reach the head, and the heap is compacted when they outnumber the live ones.
 * The head is always live. Reading the best call is O(1); adding and removing are O(log n) amortised.
 */
final class CallHeap implements Iterable<SkillAcd.Call> {

    private SkillAcd.Call[] heap = new SkillAcd.Call[8];
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
        return heap[0];
    }

    /** Whether this heap's best call ranks before {@code c} (this heap must not be empty). */
    boolean firstBefore(SkillAcd.Call c) {
        return keys[0] < c.key || (keys[0] == c.key && seqs[0] < c.seq);
    }

    void add(SkillAcd.Call c) {
        if (size == heap.length) {
            int n = size * 2;
            heap = Arrays.copyOf(heap, n);
            keys = Arrays.copyOf(keys, n);
            seqs = Arrays.copyOf(seqs, n);
            gens = Arrays.copyOf(gens, n);
        }
        c.heapGen++;
        c.heap = this;
        size++;
        live++;
        up(size - 1, c, c.key, c.seq, c.heapGen);
    }

    void remove(SkillAcd.Call c) {
        if (c.heap != this) {
            throw new IllegalStateException("call " + c.id + " is not in this heap");
        }
        c.heap = null;
        c.heapGen++;
        live--;
        if (heap[0] == c) {
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
        SkillAcd.Call c = heap[i];
        return c.heap == this && c.heapGen == gens[i];
    }

    private void dropDeadHead() {
        while (size > 0 && !alive(0)) {
            poll();
        }
    }

    private void poll() {
        size--;
        SkillAcd.Call last = heap[size];
        long key = keys[size];
        long seq = seqs[size];
        int gen = gens[size];
        heap[size] = null;
        if (size > 0) {
            down(0, last, key, seq, gen);
        }
    }

    private void compact() {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (alive(i)) {
                heap[n] = heap[i];
                keys[n] = keys[i];
                seqs[n] = seqs[i];
                gens[n] = gens[i];
                n++;
            }
        }
        Arrays.fill(heap, n, size, null);
        size = n;
        for (int i = (size >>> 1) - 1; i >= 0; i--) {
            down(i, heap[i], keys[i], seqs[i], gens[i]);
        }
    }

    private void up(int i, SkillAcd.Call c, long key, long seq, int gen) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!(key < keys[parent] || (key == keys[parent] && seq < seqs[parent]))) {
                break;
            }
            set(i, heap[parent], keys[parent], seqs[parent], gens[parent]);
            i = parent;
        }
        set(i, c, key, seq, gen);
    }

    private void down(int i, SkillAcd.Call c, long key, long seq, int gen) {
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
            set(i, heap[child], keys[child], seqs[child], gens[child]);
            i = child;
        }
        set(i, c, key, seq, gen);
    }

    private void set(int i, SkillAcd.Call c, long key, long seq, int gen) {
        heap[i] = c;
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
                all.add(heap[i]);
            }
        }
        return all.iterator();
    }
}
