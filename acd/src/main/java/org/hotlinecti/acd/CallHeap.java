package org.hotlinecti.acd;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The waiting calls of one relaxation step: an array-backed binary min-heap by score that knows each call's slot,
 * so the best call is read in O(1) and any call leaves in O(log n) — fewer pointer hops than a tree, which is what
 * the latency of a decision is made of.
 */
final class CallHeap implements Iterable<SkillAcd.Call> {

    private final Comparator<SkillAcd.Call> order;
    private SkillAcd.Call[] heap = new SkillAcd.Call[8];
    private int size;

    CallHeap(Comparator<SkillAcd.Call> order) {
        this.order = order;
    }

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

    void add(SkillAcd.Call c) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = c;
        c.heapIndex = size;
        size++;
        up(c.heapIndex);
    }

    void remove(SkillAcd.Call c) {
        int i = c.heapIndex;
        if (i < 0 || i >= size || heap[i] != c) {
            throw new IllegalStateException("call " + c.id + " is not in this heap");
        }
        size--;
        SkillAcd.Call last = heap[size];
        heap[size] = null;
        c.heapIndex = -1;
        if (i < size) {
            heap[i] = last;
            last.heapIndex = i;
            if (!up(i)) {
                down(i);
            }
        }
    }

    /** How many calls rank before {@code c} (O(n)). */
    int countBefore(SkillAcd.Call c) {
        int n = 0;
        for (int i = 0; i < size; i++) {
            if (order.compare(heap[i], c) < 0) {
                n++;
            }
        }
        return n;
    }

    private boolean up(int i) {
        SkillAcd.Call c = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            SkillAcd.Call p = heap[parent];
            if (order.compare(c, p) >= 0) {
                break;
            }
            heap[i] = p;
            p.heapIndex = i;
            i = parent;
        }
        heap[i] = c;
        c.heapIndex = i;
        return i != start;
    }

    private void down(int i) {
        SkillAcd.Call c = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            SkillAcd.Call best = heap[child];
            int right = child + 1;
            if (right < size && order.compare(heap[right], best) < 0) {
                child = right;
                best = heap[right];
            }
            if (order.compare(c, best) <= 0) {
                break;
            }
            heap[i] = best;
            best.heapIndex = i;
            i = child;
        }
        heap[i] = c;
        c.heapIndex = i;
    }

    @Override
    public Iterator<SkillAcd.Call> iterator() {
        return Arrays.asList(Arrays.copyOf(heap, size)).iterator();
    }
}
