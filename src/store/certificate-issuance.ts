// One issuance, one certificate for alerts (issue 14: "a certificate seen … as precert and final
// cert is one certificate … and alerts once"). A CT pre-certificate and its final certificate have
// different DER, hence different SHA-256: they are two certificate rows. What makes them one
// issuance is their issuer and serial number (RFC 5280 §4.1.2.2: a CA gives a serial once; RFC
// 6962 §3.1: the final certificate keeps the pre-certificate's). The store keys every certificate
// by `issuer-serial:` in certificate_refs (store/write.ts), and the first certificate stored under
// a key keeps it: that certificate stands for the issuance.
//
// Limit: a pre-certificate signed by a Precertificate Signing Certificate names that certificate
// as its issuer, so its own key differs from the final certificate's; feeds/ct/entry-records.ts
// adds the final CA's key for it, which holds when the pre-certificate is stored first. When the
// final certificate came first, the key is already the final's and the pre-certificate is not
// found under it: such a pair still alerts twice. (Precertificate Signing Certificates are rare.)
import type { Kysely, Transaction } from 'kysely';
import { issuerSerialRef, type FieldMap } from '../ingest/records.js';
import type { Database } from './schema.js';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * The SHA-256 of the certificate that stands for `sha256`'s issuance: the one its issuer-serial
 * key names (the first of its issuance stored), or `sha256` itself when it has no such key or is
 * not stored.
 */
export async function issuanceCertificate(db: Db, sha256: string): Promise<string> {
  const row = await db.selectFrom('certificates').select('fields').where('sha256', '=', sha256).executeTakeFirst();
  if (!row) return sha256;
  let fields: FieldMap;
  try {
    fields = JSON.parse(row.fields) as FieldMap;
  } catch {
    return sha256;
  }
  const key = issuerSerialRef(fields);
  if (key === undefined) return sha256;
  const ref = await db.selectFrom('certificate_refs').select('sha256').where('ref', '=', key).executeTakeFirst();
  return ref?.sha256 ?? sha256;
}
