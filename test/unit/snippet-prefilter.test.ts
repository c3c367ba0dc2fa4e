// A snippet's scan of the body is skipped when no word of it can start with a query word's prefix (snippet.ts
// mayHoldWord). That shortcut must never change a snippet: compared here with the full word-by-word scan on
// every corpus file and on hand-made edge cases (accents, ligatures, elisions, final sigma).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findMatches } from '../../electron/engine/search/snippet';
import { normalizeWord, stemsOf } from '../../electron/engine/search/text-analysis';
import { corpusTexts, needsCorpora } from '../helpers/corpora';

type Notes = Parameters<typeof findMatches>[1];

const notesFor = (words: string[], prefixes: string[] = []): Notes => ({
  stems: new Set(words.flatMap((w) => stemsOf(normalizeWord(w)))),
  prefixes: prefixes.map((p) => normalizeWord(p)),
  phrases: [],
});

const same = (text: string, notes: Notes, label: string) => assert.deepEqual(findMatches(text, notes, true), findMatches(text, notes, false), label);

test('the prefilter gives the matches of the full scan on edge cases', () => {
  const texts = [
    'Rendez-vous à l’Élysée avec l’équipe',
    'ŒUVRE complète, cœur et sœur',
    'ΟΔΟΣ:ΒΑΣΗ και ΣΟΦΟΣ.',
    'ΟΔΟΣ:ΒΑΣΗ', // the word alone lowers to οδος, the text to οδοσ:βαση
    'jean.dupont@en-marche.fr a écrit',
    'STRASSE straße',
    'x'.repeat(500) + ' budget',
    '',
  ];
  const notes = [
    notesFor(['élysée', 'equipe']),
    notesFor(['oeuvre', 'coeur']),
    notesFor(['οδος', 'σοφος'], ['οδος', 'βας']),
    notesFor([], ['οδος']),
    notesFor(['jean.dupont@en-marche.fr', 'dupont']),
    notesFor(['strasse']),
    notesFor(['budget'], ['budg']),
    notesFor(['absent']),
    notesFor([]),
    notesFor([], ['']),
  ];
  for (const t of texts) for (const [i, n] of notes.entries()) same(t, n, `${JSON.stringify(t.slice(0, 40))} / notes ${i}`);
});

test('the prefilter gives the matches of the full scan on every corpus file (as UTF-8 and as Latin-1 text)', needsCorpora, () => {
  let files = 0;
  let skipped = 0;
  for (const { file, text: whole } of corpusTexts('ponymail-asf-mbox', 'notmuch-corpora', 'mimekit-testdata')) {
    const text = whole.slice(0, 50_000); // what makeSnippet scans
    const words = text.split(/\s+/).filter((w) => w.length > 3);
    // Words of this file (found) and of no file (not found), as words and as wildcard prefixes.
    const own = [words[7], words[Math.floor(words.length / 2)], words.at(-3)].filter((w): w is string => Boolean(w));
    for (const notes of [notesFor(own), notesFor([], own.map((w) => w.slice(0, 4))), notesFor(['zzyzxq', 'qwxjv']), notesFor(['kernel', 'release'])]) {
      same(text, notes, file);
      if (findMatches(text, notes, true).length === 0) skipped++;
    }
    files++;
  }
  assert.ok(files > 50 && skipped > files, `${files} texts, ${skipped} scans with no match`);
});
