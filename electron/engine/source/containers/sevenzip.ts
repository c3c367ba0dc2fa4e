import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SevenZip, { type SevenZipModule } from '7z-wasm';
import type { ArchiveEntry, ArchiveInput, ArchiveReader } from './archive';
import { bytesOf } from './byte-streams';
import { ContainerError } from './limits';

/**
 * 7z and RAR (v4 and v5) through 7z-wasm: 7-Zip 24.09 compiled to WebAssembly, one library for both
 * formats (its RAR code is unRAR's), no native binary to ship. The archive is read in place: its folder
 * is mounted read-only-by-use (NODEFS; 7-Zip only opens it for reading) and extracted entries go to the
 * module's in-memory file system, in batches of at most `batchBytes`, so memory is bounded and nothing
 * is written to disk. A nested 7z/RAR (already in memory) is placed in that in-memory file system.
 * Each 7-Zip command runs in a fresh instance of the compiled module (7-Zip's main is not re-entrant).
 */
export async function openSevenZip(input: ArchiveInput, opts: { batchBytes: number; password?: string; maxEntries: number }): Promise<ArchiveReader> {
  const label = 'path' in input ? path.basename(input.path) : input.name;
  const listing = await run(input, ['l', '-slt'], opts.password);
  if (!listing.ok) throw openError(label, listing, opts.password);
  const entries = parseListing(listing.out);
  if (entries.length > opts.maxEntries) throw new ContainerError('bomb', `${label} declares ${entries.length} entries (limit ${opts.maxEntries})`);
  return {
    async *entries() {
      for (let i = 0; i < entries.length; ) {
        // One extraction per batch of consecutive files (a solid block is then decompressed once per batch).
        const batch: ListedEntry[] = [];
        let bytes = 0;
        for (; i < entries.length; i++) {
          const e = entries[i]!;
          if (batch.length > 0 && bytes + e.size > opts.batchBytes) break;
          batch.push(e);
          bytes += e.type === 'file' && !e.encrypted ? e.size : 0;
        }
        const wanted = batch.filter((e) => e.type === 'file' && !e.encrypted && e.size <= opts.batchBytes);
        const files = wanted.length > 0 ? await extract(input, wanted.map((e) => e.name), opts.password) : new Map<string, Buffer | Error>();
        for (const e of batch) {
          const item: ArchiveEntry = {
            name: e.name,
            size: e.size,
            type: e.type,
            encrypted: e.encrypted,
            open: async () => {
              if (e.size > opts.batchBytes) throw new ContainerError('too-large', `${e.name} is ${e.size} bytes, above the ${opts.batchBytes}-byte limit for 7z/RAR entries`);
              const got = files.get(e.name);
              if (!got) throw new ContainerError('corrupt', `7-Zip did not extract ${e.name}`);
              if (got instanceof Error) throw got;
              return bytesOf(got);
            },
          };
          yield item;
        }
      }
    },
    async close() {},
  };
}

interface ListedEntry {
  name: string;
  size: number;
  type: 'file' | 'directory';
  encrypted: boolean;
}

function parseListing(out: string[]): ListedEntry[] {
  const text = out.join('\n');
  const start = text.indexOf('\n----------\n');
  if (start === -1) return [];
  const blocks = text.slice(start + 12).split(/\n\s*\n/);
  const result: ListedEntry[] = [];
  for (const block of blocks) {
    const fields = new Map<string, string>();
    for (const line of block.split('\n')) {
      const eq = line.indexOf(' = ');
      if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 3));
    }
    const name = fields.get('Path');
    if (name === undefined) continue;
    const isDir = fields.get('Folder') === '+' || /D/.test((fields.get('Attributes') ?? '').split(' ')[0] ?? '');
    result.push({ name, size: Number(fields.get('Size') ?? 0) || 0, type: isDir ? 'directory' : 'file', encrypted: fields.get('Encrypted') === '+' });
  }
  return result;
}

interface RunResult {
  ok: boolean;
  out: string[];
  err: string[];
  module: SevenZipModule;
}

async function extract(input: ArchiveInput, names: string[], password?: string): Promise<Map<string, Buffer | Error>> {
  const result = new Map<string, Buffer | Error>();
  const r = await run(input, ['x', '-o/out', '-y', '-spd', '--', ...names], password);
  for (const name of names) {
    try {
      result.set(name, Buffer.from(r.module.FS.readFile(`/out/${name}`)));
      r.module.FS.unlink(`/out/${name}`);
    } catch {
      result.set(name, new ContainerError('corrupt', `7-Zip could not extract ${name}: ${lastLines(r)}`));
    }
  }
  return result;
}

function openError(label: string, r: RunResult, password?: string): ContainerError {
  const said = lastLines(r);
  if (/password|encrypted/i.test(said) || r.out.some((l) => /Enter password/.test(l)) || !said) {
    return new ContainerError(
      'encrypted',
      `${label}: cannot open, its headers are encrypted (${password ? 'wrong password' : 'password needed: use --password'}) or it is damaged${said ? ` (7-Zip: ${said})` : ''}`,
    );
  }
  return new ContainerError('corrupt', `${label}: 7-Zip cannot open it (${said})`);
}

function lastLines(r: RunResult): string {
  return r.err.filter((l) => l.trim()).slice(-3).join(' ').trim();
}

let compiled: Promise<WebAssembly.Module> | null = null;

function wasmModule(): Promise<WebAssembly.Module> {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const file = path.join(path.dirname(require.resolve('7z-wasm')), '7zz.wasm');
    compiled = WebAssembly.compile(readFileSync(file));
  }
  return compiled;
}

/** One 7-Zip command in a fresh module instance; the archive is /in/<name>. */
async function run(input: ArchiveInput, args: string[], password?: string): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const wasm = await wasmModule();
  const module = await SevenZip({
    print: (s: string) => out.push(s),
    printErr: (s: string) => err.push(s),
    stdin: () => null as unknown as number,
    instantiateWasm: (imports: WebAssembly.Imports, done: (i: WebAssembly.Instance) => void) => {
      void WebAssembly.instantiate(wasm, imports).then(done);
      return {};
    },
  } as never);
  module.FS.mkdir('/in');
  let archive: string;
  if ('path' in input) {
    module.FS.mount(module.NODEFS, { root: path.dirname(input.path) }, '/in');
    archive = `/in/${path.basename(input.path)}`;
  } else {
    archive = '/in/archive';
    module.FS.writeFile(archive, input.buffer);
  }
  module.FS.mkdir('/out');
  const [command, ...rest] = args;
  let ok = false;
  try {
    const code = module.callMain([command!, archive, `-p${password ?? ''}`, '-sccUTF-8', '-bd', ...rest]) as unknown;
    ok = code === undefined || code === 0;
  } catch (e) {
    // 7-Zip's C++ exceptions (wrong password, damaged headers) surface as a thrown pointer.
    ok = false;
    if (typeof e === 'object' && e && 'status' in e) ok = (e as { status: number }).status === 0;
  }
  if (err.length === 0 && out.some((l) => /^ERROR|Can not open|Wrong password/.test(l))) err.push(...out.filter((l) => /ERROR|Can not|Wrong password/.test(l)));
  return { ok, out, err, module };
}
