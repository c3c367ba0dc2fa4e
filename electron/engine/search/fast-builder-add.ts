import lunr from 'lunr';

/**
 * lunr.Builder.prototype.add, same data structures and results, rewritten for speed: the original
 * converts each Token to a property key five or six times per occurrence and re-walks the inverted index
 * for every access; profiling showed it at a third of indexing time. Here each occurrence is converted
 * once and the posting looked up once. Used only when no token metadata is whitelisted (our case); the
 * original remains for anything else. Equality of the resulting indexes is tested.
 */
export function fastAdd(this: any, doc: Record<string, unknown>, attributes?: object): void {
  if (this.metadataWhitelist.length > 0) return originalAdd.call(this, doc, attributes);
  const docRef = doc[this._ref] as string;
  const fields = Object.keys(this._fields);
  this._documents[docRef] = attributes || {};
  this.documentCount += 1;
  for (const fieldName of fields) {
    const extractor = this._fields[fieldName].extractor;
    const field = extractor ? extractor(doc) : doc[fieldName];
    const terms = this.pipeline.run(this.tokenizer(field, { fields: [fieldName] })) as lunr.Token[];
    const fieldRef = new (lunr as any).FieldRef(docRef, fieldName);
    const fieldTerms: Record<string, number> = Object.create(null);
    this.fieldTermFrequencies[fieldRef] = fieldTerms;
    this.fieldLengths[fieldRef] = terms.length;
    for (const token of terms) {
      const term = token.toString();
      fieldTerms[term] = (fieldTerms[term] ?? 0) + 1;
      let posting = this.invertedIndex[term];
      if (posting === undefined) {
        posting = Object.create(null);
        posting._index = this.termIndex;
        this.termIndex += 1;
        for (const f of fields) posting[f] = Object.create(null);
        this.invertedIndex[term] = posting;
      }
      const byDoc = posting[fieldName];
      if (byDoc[docRef] === undefined) byDoc[docRef] = Object.create(null);
    }
  }
}

const originalAdd = lunr.Builder.prototype.add;

/** A Builder whose add() is the fast one (the prototype of lunr itself is left untouched). */
export function installFastAdd(builder: lunr.Builder): void {
  (builder as any).add = fastAdd;
}
