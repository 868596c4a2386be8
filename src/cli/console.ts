/**
 * `frontera console`: an interactive prompt that runs any slash command, for trying the bot with no chat
 * account. History is kept in the data dir across runs; `exit`, `quit` or Ctrl-D leaves.
 */
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { runCommandLine } from '../../commands/index.ts';
import { catchUpSearch } from '../../commands/search.ts';
import type { CommandDeps } from '../../commands/types.ts';
import { renderReply } from '../chat/console/render.ts';
import { consoleCaller } from './ask.ts';

const HISTORY_SIZE = 500;

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** File the history is read from and written to (null: no history file). */
  historyFile: string | null;
}

/** Reads the saved history, newest first (readline's order). */
function loadHistory(file: string | null): string[] {
  if (!file) return [];
  try {
    return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string | null, newestFirst: string[]): void {
  if (!file) return;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, [...newestFirst].slice(0, HISTORY_SIZE).reverse().join('\n') + '\n', { mode: 0o600 });
  } catch {
    // history is a convenience: a read-only data dir must not stop the console
  }
}

/** Runs the prompt until exit; resolves with the exit status (0). */
export async function runConsole(deps: CommandDeps, io: ConsoleIo): Promise<number> {
  // Before the prompt exists, so no typed line can arrive without a listener.
  const indexed = await catchUpSearch(deps);
  if (indexed > 0) io.output.write(`(indexed ${indexed} newly analysed articles for search)\n`);
  const terminal = (io.output as { isTTY?: boolean }).isTTY === true;
  const rl = readline.createInterface({
    input: io.input, output: io.output, terminal, prompt: 'frontera> ',
    history: loadHistory(io.historyFile), historySize: HISTORY_SIZE, removeHistoryDuplicates: true,
  });
  let history = loadHistory(io.historyFile);
  rl.on('history', (h: string[]) => {
    history = h;
  });
  const caller = consoleCaller();
  io.output.write('Frontera console. Type /help for commands, exit or Ctrl-D to leave.\n');
  rl.prompt();
  // Lines are answered one at a time, in order, even when pasted together.
  let queue = Promise.resolve();
  let exited = false;
  let closed = false;
  await new Promise<void>((resolve) => {
    rl.on('line', (raw) => {
      queue = queue.then(async () => {
        const line = raw.trim();
        if (exited) return;
        if (line === 'exit' || line === 'quit') {
          exited = true;
          rl.close();
          return;
        }
        if (line) {
          if (!terminal) history = [line, ...history.filter((x) => x !== line)];
          const reply = await runCommandLine(line, caller, deps);
          io.output.write(renderReply(reply) + '\n\n');
        }
        if (!exited && !closed) rl.prompt();
      });
    });
    rl.on('close', () => {
      closed = true;
      void queue.then(() => resolve());
    });
  });
  saveHistory(io.historyFile, history);
  io.output.write('bye\n');
  return 0;
}
