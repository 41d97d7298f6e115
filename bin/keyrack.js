#!/usr/bin/env node
// The published entry: the CLI compiled by `npm run build` (tsc) into dist/.
import '../dist/electron/cli/main.js';
