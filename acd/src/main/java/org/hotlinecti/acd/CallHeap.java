package org.hotlinecti.acd;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The waiting calls of one relaxation step: an array-backed binary min-heap by (score key, arrival sequence) that
 * knows each call's slot, so the best call is read in O(1) and any call leaves in O(log n). Keys sit in primitive
 * arrays next to the calls, so sifting compares without touching the call objects — pointer hops are what the
 * latency of a decision is made of.
 */
final class CallHeap implements Iterable<SkillAcd.Call> {

    private SkillAcd.Call[] heap = new SkillAcd.Call[8];
    private long[] keys = new long[8];
    private long[] seqs = new long[8];
    private int size;

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The best call; the heap must not be empty. */
    SkillAcd.Call first() {
        if (size == 0) {
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
            heap = Arrays.copyOf(heap, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
            seqs = Arrays.copyOf(seqs, size * 2);
        }
        size++;
        up(size - 1, c, c.key, c.seq);
    }

    void remove(SkillAcd.Call c) {
        int i = c.heapIndex;
        if (i < 0 || i >= size || heap[i] != c) {
            throw new IllegalStateException("call " + c.id + " is not in this heap");
        }
        size--;
        c.heapIndex = -1;
        SkillAcd.Call last = heap[size];
        long lastKey = keys[size];
        long lastSeq = seqs[size];
        heap[size] = null;
        if (i < size) {
            if (i > 0 && before(lastKey, lastSeq, (i - 1) >>> 1)) {
                up(i, last, lastKey, lastSeq);
            } else {
                down(i, last, lastKey, lastSeq);
            }
        }
    }

    /** How many calls rank before {@code c} (O(n)). */
    int countBefore(SkillAcd.Call c) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (keys[i] < c.key || (keys[i] == c.key && seqs[i] < c.seq)) {
                n++;
            }
        }
        return n;
    }

    private boolean before(long key, long seq, int slot) {
        return key < keys[slot] || (key == keys[slot] && seq < seqs[slot]);
    }

    private void up(int i, SkillAcd.Call c, long key, long seq) {
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(key, seq, parent)) {
                break;
            }
            set(i, heap[parent], keys[parent], seqs[parent]);
            i = parent;
        }
        set(i, c, key, seq);
    }

    private void down(int i, SkillAcd.Call c, long key, long seq) {
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
            set(i, heap[child], keys[child], seqs[child]);
            i = child;
        }
        set(i, c, key, seq);
    }

    private void set(int i, SkillAcd.Call c, long key, long seq) {
        heap[i] = c;
        keys[i] = key;
        seqs[i] = seq;
        c.heapIndex = i;
    }

    @Override
    public Iterator<SkillAcd.Call> iterator() {
        return Arrays.asList(Arrays.copyOf(heap, size)).iterator();
    }
}
