// What people do by hand: tag, untag, classify. Signatures never touch these rows, and a
// person's classification wins over every automatic one. Every change is audited with its actor
// (tag.add, tag.remove, classification.set), from the API and the CLI alike.
import { CLASSIFICATIONS, type Classification } from '../signatures/types.js';
import { TAG_NAME } from '../signatures/check-actions.js';
import { addManualTag, removeManualTag, setManualClassification } from '../store/actions.js';
import { ensureOrg } from '../store/orgs.js';
import type { Store } from '../store/store.js';
import { audit, type Actor } from './audit.js';
import type { EntityRef } from './entity.js';
import { ServiceError } from './errors.js';
import { identify } from './lookup.js';

/** A name, tag or classification that is not one: the user's error. */
export class ManualActionError extends ServiceError {
  constructor(message: string) {
    super('invalid', message);
  }
}

/** The entity a person named, with a certificate's SHA-1 resolved to its SHA-256. */
export async function resolveEntity(store: Store, text: string): Promise<EntityRef> {
  const ref = identify(text);
  if (!ref) throw new ManualActionError(`"${text}" is not a domain, an IP address or a certificate fingerprint`);
  if (ref.kind !== 'certificate') return ref;
  const cert = await store.certificate(ref.id);
  if (!cert) throw new ManualActionError(`no certificate ${text} in the store`);
  return { kind: 'certificate', id: cert.sha256 };
}

export function checkTagName(name: string): void {
  if (!TAG_NAME.test(name)) throw new ManualActionError(`tag "${name}" is not 1 to 64 letters, digits, _ - . or :`);
}

const target = (ref: EntityRef): string => `${ref.kind}:${ref.id}`;

export async function tagEntity(store: Store, actor: Actor, org: string, ref: EntityRef, name: string, now: string): Promise<void> {
  checkTagName(name);
  await ensureOrg(store.db, org, now);
  await addManualTag(store.db, { org, kind: ref.kind, entity: ref.id }, name, now);
  await audit(store, actor, { at: now, org, action: 'tag.add', target: target(ref), after: { tag: name } });
}

/** Removes a tag a person added; false when there was none (a signature's tag stays; nothing is audited). */
export async function untagEntity(store: Store, actor: Actor, org: string, ref: EntityRef, name: string, now: string): Promise<boolean> {
  checkTagName(name);
  if ((await removeManualTag(store.db, { org, kind: ref.kind, entity: ref.id }, name)) === 0) return false;
  await audit(store, actor, { at: now, org, action: 'tag.remove', target: target(ref), before: { tag: name } });
  return true;
}

export async function classifyEntity(store: Store, actor: Actor, org: string, ref: EntityRef, value: string, now: string): Promise<void> {
  if (!CLASSIFICATIONS.includes(value as Classification)) {
    throw new ManualActionError(`classification "${value}" is not one of ${CLASSIFICATIONS.join(', ')}`);
  }
  await ensureOrg(store.db, org, now);
  await setManualClassification(store.db, { org, kind: ref.kind, entity: ref.id }, value, now);
  await audit(store, actor, { at: now, org, action: 'classification.set', target: target(ref), after: { classification: value } });
}
