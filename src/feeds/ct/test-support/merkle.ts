// RFC 6962 §2.1 Merkle Tree Hash, for the fake logs' signed sizes (the sources do not verify it,
// but a fake log that signs a real root is one less thing that differs from a real log).
import { createHash } from 'node:crypto';

export function leafHash(leaf: Uint8Array): Buffer {
  return createHash('sha256').update(Uint8Array.of(0)).update(leaf).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(Uint8Array.of(1)).update(left).update(right).digest();
}

/** MTH of the leaves' hashes (the empty tree hashes to SHA-256 of nothing). */
export function merkleTreeHash(leafHashes: readonly Buffer[]): Buffer {
  if (leafHashes.length === 0) return createHash('sha256').digest();
  if (leafHashes.length === 1) return leafHashes[0]!;
  let k = 1;
  while (k * 2 < leafHashes.length) k *= 2;
  return nodeHash(merkleTreeHash(leafHashes.slice(0, k)), merkleTreeHash(leafHashes.slice(k)));
}
