#!/usr/bin/env node
// The CLI runs from the build (dist/); `npm run build` makes it.
import { main } from '../dist/cli/main.js';

await main();
