// How packs and their signatures are named across organisations (docs/PACKS.md). A pack is
// `publisher/name`; in a subscriber's organisation its signature `id` runs as
// `publisher/name/id`. Organisation names, pack names and signature ids never hold `/`
// (ORG_NAME, PACK_NAME, signatures.md's id rule), so the name can never be one of the
// subscriber's own signature ids, and it says which pack made a tag.

/** The same shape as a signature id (signatures.md) but at most 64 characters, like an organisation. */
export const PACK_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const ORG = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface PackRef {
  readonly publisher: string;
  readonly name: string;
}

/** `publisher/name`, or undefined when the text is not one. */
export function parsePackRef(text: string): PackRef | undefined {
  const parts = text.split('/');
  if (parts.length !== 2) return undefined;
  const [publisher, name] = parts as [string, string];
  return ORG.test(publisher) && PACK_NAME.test(name) ? { publisher, name } : undefined;
}

export function packRefText(ref: PackRef): string {
  return `${ref.publisher}/${ref.name}`;
}

/** The id a pack's signature runs under in a subscriber's organisation. */
export function packSignatureId(ref: PackRef, signature: string): string {
  return `${ref.publisher}/${ref.name}/${signature}`;
}

/** The pack and signature of an id made by packSignatureId, or undefined for an organisation's own id. */
export function splitPackSignatureId(id: string): (PackRef & { readonly signature: string }) | undefined {
  const parts = id.split('/');
  if (parts.length !== 3) return undefined;
  const [publisher, name, signature] = parts as [string, string, string];
  return { publisher, name, signature };
}
