#!/usr/bin/env -S node --max-semi-space-size=1
// Runs the TypeScript CLI through tsx's loader, so `npx frontera` works with no build step.
import { register } from 'tsx/esm/api';

// `frontera ingest ... --json | head` closes our stdout early: that is not an error.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

register();
const { main } = await import('../src/cli.ts');
const code = await main(process.argv.slice(2));
// Exit explicitly once output is flushed: a library handle left open (a socket, a timer) must not keep
// a finished command alive.
process.stdout.write('', () => process.exit(code));
