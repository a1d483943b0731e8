// Every input format `warren ingest` knows (cli.md), in detection order of preference.
import type { Format } from './records.js';

export const FORMATS: readonly Format[] = [];
