import { detached } from './detached';

/**
 * Results remembered per key, cleared when full so memory stays bounded. Keys longer than `maxKeyLength`
 * (hostile input) are computed every time: the bound is in entries. A key is stored detached from the text
 * it was cut from (detached.ts).
 */
export class BoundedMemo<V> {
  private readonly map = new Map<string, V>();
  constructor(
    private readonly max: number,
    private readonly maxKeyLength = Infinity,
  ) {}

  get(key: string, compute: (k: string) => V): V {
    if (key.length > this.maxKeyLength) return compute(key);
    let v = this.map.get(key);
    if (v === undefined) {
      if (this.map.size >= this.max) this.map.clear();
      v = compute(key);
      this.map.set(detached(key), v);
    }
    return v;
  }
}
