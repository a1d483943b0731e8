// What buildProgram (main.ts) hands every command: the streams and the exit code the command's
// action sets. A module of its own so that commands never import the program that registers them
// (no import cycle: main.ts → commands/* → context.ts).
import type { Io } from './io.js';

export interface CommandContext {
  readonly io: Io;
  /** Set by the command's action. */
  exitCode: number;
}
