#!/usr/bin/env node
// vmscope from the sources, through tsx's loader (development and the tests). The package's bin is
// the same entry (run.ts) bundled into plain JavaScript: dist/cli/vmscope.js (scripts/build.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./run.ts');
