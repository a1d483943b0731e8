// One decoded CT entry → the ingest records Warren keeps of it, or why it cannot be kept.
//
// - x509_entry: the logged certificate.
// - precert_entry: the pre-certificate from extra_data (or the data tile). It is a real DER
//   certificate, signed by the CA, whose names are those of the leaf's TBSCertificate; that it is
//   the one the TBSCertificate was made from is checked (same serial, subject, key and
//   subjectAltName), so a log pairing the wrong pre-certificate with an entry is rejected rather
//   than stored under names it does not carry.
// - The chain certificates of extra_data are not stored: they are the CAs (a handful of
//   intermediates repeated in millions of entries), not infrastructure anyone registered; they
//   would cost a decode and an upsert per entry and only re-confirm the same few rows.
//
// Observation: source `ct:<log host+path>`, first and last seen the entry's timestamp (when the
// log saw it), so the same certificate seen in several logs is one certificate (one SHA-256)
// whose first/last seen widen across them (store/write.ts).
//
// Precert and final certificate have different DER, hence different SHA-256: they are two
// certificates. What ties them is the issuer and serial they share. The store already keys every
// certificate by `issuer-serial:` (records.ts issuerSerialRef; the first certificate stored under
// a key keeps it). When a pre-certificate was signed by a Precertificate Signing Certificate its
// own issuer is that certificate, not the final CA; the TBSCertificate in the entry names the
// final CA, so a `certificate-ref` with the TBSCertificate's issuer and serial is added for it:
// precert and final certificate then meet under the same key whoever issued the precert.
import type { CertificateRecord, IngestRecord, Observation } from '../../ingest/records.js';
import { issuerSerialRef } from '../../ingest/records.js';
import { certificateFromDer } from '../../ingest/parsers/x509/x509.js';
import { certificateTbs, sameBytes, subjectAltName, tbsParts, wrapTbs, type TbsParts } from './der.js';
import type { TimestampedEntry } from './leaf.js';

export type EntryOutcome = { readonly records: IngestRecord[] } | { readonly error: string };

/** `YYYY-MM-DDTHH:MM:SSZ` of a CT timestamp (ms), or undefined when it is no date. */
export function ctTime(ms: number): string | undefined {
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The observation source of a log: `ct:` and its URL without scheme and trailing slash. */
export function ctObservationSource(url: string): string {
  const u = new URL(url);
  return `ct:${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

function why(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Why the pre-certificate is not the one `leaf` (the entry's TBSCertificate) was made from. */
function mismatch(leaf: TbsParts, pre: TbsParts): string | undefined {
  if (!sameBytes(leaf.serial.bytes, pre.serial.bytes)) return 'serial numbers differ';
  if (!sameBytes(leaf.subject.bytes, pre.subject.bytes)) return 'subjects differ';
  if (!sameBytes(leaf.spki.bytes, pre.spki.bytes)) return 'public keys differ';
  if (!sameBytes(subjectAltName(leaf), subjectAltName(pre))) return 'subjectAltNames differ';
  return undefined;
}

/** The issuer-serial key of the final certificate, read from the entry's TBSCertificate. */
function finalIssuerSerial(leaf: TbsParts): string | { error: string } {
  const fields = certificateFromDer(wrapTbs(leaf), { source: 'ct' });
  if ('error' in fields) return { error: `TBSCertificate: ${fields.error}` };
  return issuerSerialRef(fields.fields) ?? { error: 'TBSCertificate has no issuer or serial number' };
}

function precertRecords(entry: Extract<TimestampedEntry, { type: 'precert' }>, preCertificate: Uint8Array | undefined, observation: Observation): EntryOutcome {
  if (preCertificate === undefined) return { error: 'precert entry without its pre-certificate' };
  let leaf: TbsParts;
  let pre: TbsParts;
  try {
    leaf = tbsParts(entry.tbsCertificate);
  } catch (e) {
    return { error: `TBSCertificate: ${why(e)}` };
  }
  try {
    pre = tbsParts(certificateTbs(preCertificate));
  } catch (e) {
    return { error: `pre-certificate: ${why(e)}` };
  }
  const differs = mismatch(leaf, pre);
  if (differs !== undefined) return { error: `the pre-certificate is not the one the entry's TBSCertificate was made from (${differs})` };
  const cert = certificateFromDer(preCertificate, observation);
  if ('error' in cert) return { error: `pre-certificate: ${cert.error}` };
  const records: IngestRecord[] = [cert];
  if (!sameBytes(leaf.issuer.bytes, pre.issuer.bytes)) {
    // Issued by a Precertificate Signing Certificate: key it by the final CA's name too.
    const ref = finalIssuerSerial(leaf);
    if (typeof ref !== 'string') return ref;
    records.push({ kind: 'certificate-ref', ref, sha256: cert.sha256, source: observation.source });
  }
  return { records };
}

/**
 * The records of one entry: its certificate (x509_entry) or pre-certificate (precert_entry, with
 * `preCertificate` from extra_data or the data tile), observed at the entry's timestamp.
 */
export function ctEntryRecords(entry: TimestampedEntry, preCertificate: Uint8Array | undefined, source: string): EntryOutcome {
  const seen = ctTime(entry.timestamp);
  if (seen === undefined) return { error: `timestamp ${entry.timestamp} is not a date` };
  const observation: Observation = { source, firstSeen: seen, lastSeen: seen };
  if (entry.type === 'precert') return precertRecords(entry, preCertificate, observation);
  const cert: CertificateRecord | { error: string } = certificateFromDer(entry.certificate, observation);
  return 'error' in cert ? { error: `certificate: ${cert.error}` } : { records: [cert] };
}
