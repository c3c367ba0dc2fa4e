// The engine host proper, loaded by engine-host.ts (the utilityProcess entry): hosts the engine's handler
// table for one case, off the main process. Also runs in a Node worker thread (the packed-layout test).
import { parentPort as workerPort, workerData } from 'node:worker_threads';
import { ApiEventBus } from '../engine/api/event-bus';
import { createHandlers, dispatch } from '../engine/api/handlers';
import { ApiFailure } from '../engine/api/validate';
import { CaseStore } from '../engine/store/case-store';

interface Port {
  on(e: 'message', f: (m: unknown) => void): void;
  postMessage(m: unknown): void;
}
type Call = { id: number; method: string; args: unknown };

const electronPort = (process as unknown as { parentPort?: Port }).parentPort;
const port: Port = electronPort ?? (workerPort as unknown as Port);
// Electron wraps messages as {data}; worker_threads delivers them bare.
const unwrap = (m: unknown): Call => (electronPort ? (m as { data: Call }).data : (m as Call));
const caseDir = electronPort ? process.argv[2]! : (workerData as { caseDir: string }).caseDir;

const store = CaseStore.open(caseDir, { create: true });
const events = new ApiEventBus();
const handlers = createHandlers(store, events);
// Progress goes to the main process, which forwards it to the window.
events.subscribe((name, data) => port.postMessage({ event: name, data }));

port.on('message', async (m) => {
  const call = unwrap(m);
  try {
    port.postMessage({ id: call.id, result: await dispatch(handlers, call.method, call.args) });
  } catch (err) {
    port.postMessage({ id: call.id, error: err instanceof ApiFailure ? err.error : { code: 'internal', message: String((err as Error)?.message ?? err) } });
  }
});
