#!/usr/bin/env node
// Runs the TypeScript CLI from source through tsx, so `npx casefile` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/engine/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
