/** The k largest values offered so far, in a min-heap (heap[0]: the smallest of them). */
export class KLargest {
  private readonly heap: Float64Array;
  private n = 0;

  constructor(private readonly k: number) {
    this.heap = new Float64Array(k);
  }

  offer(v: number): void {
    const { heap, k } = this;
    if (this.n < k) {
      let i = this.n++;
      while (i > 0 && heap[(i - 1) >> 1]! > v) {
        heap[i] = heap[(i - 1) >> 1]!;
        i = (i - 1) >> 1;
      }
      heap[i] = v;
    } else if (v > heap[0]!) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= k) break;
        const c = l + 1 < k && heap[l + 1]! < heap[l]! ? l + 1 : l;
        if (heap[c]! >= v) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = v;
    }
  }

  /** The k-th largest value offered, or -Infinity when fewer than k were (a value below it can never be among the k). */
  kth(): number {
    return this.n < this.k ? -Infinity : this.heap[0]!;
  }
}
