// Summarise V8 CPU profiles (one per thread: node --cpu-prof --cpu-prof-dir=DIR …) by what the sampled code
// belongs to, for README "Where each core's time goes". Usage: node test/bench/cpu-profile-summary.mjs DIR [--other] [--top N]
// (--other: the largest uncategorised functions; --top N: the N functions with the most self time, any category).
// Works on the compiled CLI too: a sample in a dist-cli chunk is named by the source file esbuild marks above
// that line (its `// electron/engine/….ts` comments), so categories match a run through tsx.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const dir = process.argv[2];
/** Bundled chunk URL → per line (0-based), the source module it belongs to. */
const chunkModules = new Map();
function sourceOf(url, line) {
  if (!/\/dist-cli[^/]*\/[^/]+\.js$/.test(url)) return url;
  let lines = chunkModules.get(url);
  if (!lines) {
    lines = [];
    const file = url.startsWith('file:') ? fileURLToPath(url) : url;
    let current = url;
    if (existsSync(file)) for (const text of readFileSync(file, 'utf8').split('\n')) {
      const m = /^\/\/ ((?:electron|shared)\/\S+\.tsx?)$/.exec(text);
      if (m) current = m[1];
      lines.push(current);
    }
    chunkModules.set(url, lines);
  }
  return lines[line] ?? url;
}
const rules = [
  ['idle', (u, f) => f === '(idle)'],
  ['GC', (u, f) => f === '(garbage collector)'],
  ['start-up (module loading, tsx)', (u) => /tsx|modules\/esm|modules\/cjs|bootstrap|cjs-module-lexer|package_json|get_format|internal\/url|resolve/.test(u)],
  ['split (mbox splitter, window)', (u) => /source\/(mbox-splitter|eol|from-line|positional-reader|message-spans)/.test(u)],
  ['SHA-256', (u, f) => /crypto\/hash/.test(u) || f === 'digest'],
  ['deflate/inflate', (u) => /node:zlib/.test(u)],
  ['mailparser (+ libmime, mailsplit, streams, base64/qp, charsets)', (u) => /mailparser|@zone-eu|libmime|libbase64|libqp|nodemailer|encoding-japanese|iconv-lite|punycode|internal\/streams|node:stream|node:events|node:buffer|node:string_decoder|html-to-text|htmlparser2|linkify|tlds|he\/|entities|leac|peberminta|selderee|parseley|deepmerge/.test(u)],
  ['our parse code (parse-message, raw headers, record)', (u) => /engine\/parse\//.test(u)],
  ['sniff (file-type)', (u) => /file-type|strtok3|token-types|sniff/.test(u)],
  ['SQLite + store', (u) => /better-sqlite3|engine\/store\/|facets|thread\/|documents\/document-store|attachment-text/.test(u)],
  ['index build (analysis, shard builder, lunr)', (u) => /engine\/search\/|lunr/.test(u)],
  ['extraction (pdf.js, office, exif…)', (u) => /pdfjs|word-extractor|cfb|exifr|yauzl|fflate|saxes|engine\/documents\/|sax/.test(u)],
  ['worker messaging (postMessage, clone)', (u, f) => /postMessage|receiveMessageOnPort|worker\/io|event_target|messageport/i.test(u + f)],
  ['file I/O', (u, f) => /^(read|open|close|fstat|stat|lstat|realpath|openFileHandle|readSync|openSync|closeSync|writeSync|fsync)$/.test(f) || /internal\/fs/.test(u)],
  ['ingest loop / other JS', (u) => /engine\//.test(u)],
];
for (const f of readdirSync(dir).filter(f=>f.endsWith('.cpuprofile')).sort()) {
  const p = JSON.parse(readFileSync(`${dir}/${f}`, 'utf8'));
  const byId = new Map(p.nodes.map(n => [n.id, n]));
  const cat = new Map(); let total = 0; const other = new Map(); const self = new Map();
  p.samples.forEach((id, i) => {
    const us = p.timeDeltas[i] ?? 0; total += us;
    const cf = byId.get(id).callFrame; const u = sourceOf(cf.url, cf.lineNumber), fn = cf.functionName;
    const r = rules.find(([, t]) => t(u, fn)); const k = r ? r[0] : 'other';
    cat.set(k, (cat.get(k) ?? 0) + us);
    if (k !== 'idle') { const sk = `${fn || '(anonymous)'} ${u.replace(/.*node_modules\//,'nm/').replace(/^file:.*\/(electron|shared)\//, '$1/')}`; self.set(sk, (self.get(sk) ?? 0) + us); }
    if (!r) { const ok = `${fn} ${u.replace(/.*node_modules\//,'nm/')}`; other.set(ok, (other.get(ok) ?? 0) + us); }
  });
  const busy = total - (cat.get('idle') ?? 0);
  console.log(`\n== ${f}: wall ${(total/1e6).toFixed(1)} s, busy ${(busy/1e6).toFixed(1)} s (${(100*busy/total).toFixed(0)} %)`);
  [...cat].sort((a,b)=>b[1]-a[1]).forEach(([k,v]) => console.log(`${(v/1e6).toFixed(2).padStart(7)} s ${(100*v/total).toFixed(1).padStart(5)} %  ${k}`));
  if (process.argv[3] === "--other") [...other].sort((a,b)=>b[1]-a[1]).slice(0,8).forEach(([k,v]) => console.log('     other:', (v/1e6).toFixed(2), k));
  const top = process.argv.indexOf('--top');
  if (top > 0) [...self].sort((a,b)=>b[1]-a[1]).slice(0, Number(process.argv[top + 1]) || 20).forEach(([k,v]) => console.log('     top:', (v/1e6).toFixed(2), k));
}
