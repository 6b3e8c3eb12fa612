/** An entry's ordering key: higher priority first, then lower submission sequence (FIFO). */
export interface QueueKey {
  readonly priority: number;
  readonly seq: number;
}

/**
 * A binary heap ordered by priority (descending) then submission sequence (ascending), so equal
 * priorities run in submission order. O(log n) push/pop. Capacity is enforced by the scheduler, which
 * counts admitted tasks (waiting ones too), not by the heap.
 */
export class PriorityQueue<T extends QueueKey> {
  #heap: T[] = [];

  get size(): number {
    return this.#heap.length;
  }

  push(item: T): void {
    const h = this.#heap;
    h.push(item);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  peek(): T | undefined {
    return this.#heap[0];
  }

  pop(): T | undefined {
    const h = this.#heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l]!, h[m]!)) m = l;
        if (r < h.length && before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }

  /** Removes and returns every entry matching `pred` (heap order is rebuilt). */
  removeWhere(pred: (item: T) => boolean): T[] {
    const removed = this.#heap.filter(pred);
    if (removed.length === 0) return removed;
    const kept = this.#heap.filter((x) => !pred(x));
    this.#heap = [];
    for (const x of kept) this.push(x);
    return removed;
  }
}

function before(a: QueueKey, b: QueueKey): boolean {
  return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
}
