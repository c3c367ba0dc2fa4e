// utilityProcess entry: hosts the engine's handler table for one case, off the main process.
import { createHandlers, dispatch } from '../engine/api/handlers';
import { ApiFailure } from '../engine/api/validate';
import { CaseStore } from '../engine/store/case-store';

const port = (process as unknown as { parentPort: { on(e: 'message', f: (m: { data: { id: number; method: string; args: unknown } }) => void): void; postMessage(m: unknown): void } }).parentPort;
const store = CaseStore.open(process.argv[2]!);
const handlers = createHandlers(store);

port.on('message', async ({ data }) => {
  try {
    port.postMessage({ id: data.id, result: await dispatch(handlers, data.method, data.args) });
  } catch (err) {
    port.postMessage({ id: data.id, error: err instanceof ApiFailure ? err.error : { code: 'internal', message: String((err as Error)?.message ?? err) } });
  }
});
