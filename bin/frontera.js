#!/usr/bin/env node
// Runs the TypeScript CLI through tsx's loader, so `npx frontera` works with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
