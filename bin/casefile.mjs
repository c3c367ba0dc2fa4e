#!/usr/bin/env node
// `node bin/casefile.mjs …`: the `casefile` command (bin/casefile.cjs, which package.json's "bin" names).
import './casefile.cjs';
