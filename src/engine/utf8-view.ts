// UTF-8 bytes of a value for RE2, without allocating per value.
//
// node-re2 converts a JS string to UTF-8 on every call (~1.5 µs for a new string) but reads a
// Buffer as is (~0.1 µs); Buffer.from itself allocates. So each value is written once into one
// scratch buffer, and a cached view of the right length is handed to RE2. The view is valid
// until the next call: callers use it for one value, synchronously.
const SCRATCH_BYTES = 64 * 1024;
const scratch = Buffer.allocUnsafe(SCRATCH_BYTES);
const views: (Buffer | undefined)[] = [];

export function utf8View(value: string): Buffer {
  // At most 3 UTF-8 bytes per UTF-16 unit: anything that might not fit gets its own buffer.
  if (value.length * 3 > SCRATCH_BYTES) return Buffer.from(value, 'utf8');
  const n = scratch.write(value, 0, 'utf8');
  return (views[n] ??= scratch.subarray(0, n));
}
