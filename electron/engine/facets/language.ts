/**
 * French / English detection by stop-word ratio. Stop words are the most frequent words of a language and
 * almost disjoint between these two, so counting them in a message's subject and first lines separates
 * French from English reliably from a few dozen words, with no model to ship or load (a library such as
 * franc carries 400 languages' trigram tables for a two-language question). Too few stop words: "other".
 */
const FR = new Set(
  'le la les un une des du de et est en que qui dans pour pas sur au aux ce cette ces il elle ils elles nous vous je tu on ne se sa son ses leur leurs mais ou donc avec par plus tout tous être avoir sont été fait comme très bien aussi merci bonjour cordialement votre vos notre nos mon ma mes si y'.split(' '),
);
const EN = new Set(
  'the an and is are was were be been of to in that it for on with as at by this these those from or but not have has had you your we our they their he she his her i my will would can could should there what which who all if do does did thanks regards hi dear please'.split(' '),
);

export type Language = 'fr' | 'en' | 'other';

export function detectLanguage(text: string): Language {
  let fr = 0;
  let en = 0;
  for (const w of text.toLowerCase().split(/[^a-zàâäçéèêëîïôöùûüÿœæ]+/)) {
    if (FR.has(w)) fr++;
    if (EN.has(w)) en++;
  }
  if (fr + en < 3) return 'other';
  if (fr >= 2 * en) return 'fr';
  if (en >= 2 * fr) return 'en';
  return 'other';
}
