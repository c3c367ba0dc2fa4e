/** Strings stored once, referred to by small integer codes. */
export class Dict {
  readonly values: string[] = [];
  private readonly codes = new Map<string, number>();
  /** Back to saved values (facet-cache.ts): codes stay what they were. */
  load(values: string[]): void {
    this.values.length = 0;
    this.codes.clear();
    for (const v of values) this.code(v);
  }
  code(v: string): number {
    let c = this.codes.get(v);
    if (c === undefined) {
      c = this.values.length;
      this.codes.set(v, c);
      this.values.push(v);
    }
    return c;
  }
}
