// The acceptance test of lenient X.509: every certificate of ../shared/data/certs (the
// certificate-transparency corpora, their deliberately malformed ones included) that the
// `openssl` binary reads is stored by Warren's parser with OpenSSL's SHA-256, subject CN(s) and
// SAN DNS names; every block OpenSSL refuses is refused by Warren with a reason, or is one of
// the few listed below that Warren reads on purpose. Skipped when the corpus or openssl is absent.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normaliseDomain } from '../../../fields/domain.js';
import { normaliseValue } from '../../../fields/normalise.js';
import type { CertificateRecord, ParseResult } from '../../records.js';
import { parseDer, parsePem } from './x509.js';

const certs = join(import.meta.dirname, '../../../../../shared/data/certs');

function hasOpenSsl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? filesUnder(p) : [p];
    });
}

/** One certificate as input: a PEM block's text or a DER file's bytes. */
interface Block {
  readonly name: string;
  readonly pem?: string;
  readonly der?: Buffer;
}

const PEM_BLOCK = /-----BEGIN ((?:TRUSTED |X509 )?CERTIFICATE)-----[\s\S]*?-----END \1-----/g;

function blocksOf(path: string): Block[] {
  const bytes = readFileSync(path);
  if (bytes[0] === 0x30) return [{ name: path, der: bytes }];
  const text = bytes.toString('latin1');
  return [...text.matchAll(PEM_BLOCK)].map((m, i) => ({ name: `${path}#${i + 1}`, pem: Buffer.from(m[0], 'latin1').toString('utf8') }));
}

interface OpenSslView {
  readonly sha256: string;
  readonly cns: string[];
  /** The SAN's DNS names, or undefined when OpenSSL prints the SAN as a raw dump. */
  readonly dns: string[] | undefined;
}

/** What `openssl x509` reads from a block, or undefined when it refuses it. */
function openSsl(block: Block): OpenSslView | undefined {
  const args = ['x509', '-noout', '-fingerprint', '-sha256', '-subject', '-ext', 'subjectAltName', '-nameopt', 'sep_multiline,sname,utf8,esc_ctrl'];
  if (block.der) args.push('-inform', 'DER');
  let out: string;
  try {
    out = execFileSync('openssl', args, { input: block.der ?? block.pem, stdio: 'pipe' }).toString('utf8');
  } catch {
    return undefined;
  }
  const lines = out.split('\n');
  const fp = /^sha256 Fingerprint=([0-9A-F:]+)$/.exec(lines[0] ?? '');
  if (!fp) return undefined;
  const cns = lines
    .filter((l) => l.startsWith('    CN='))
    .map((l) => l.slice('    CN='.length).replace(/\\([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))));
  const sanAt = lines.findIndex((l) => l.startsWith('X509v3 Subject Alternative Name:'));
  let dns: string[] | undefined = [];
  if (sanAt >= 0) {
    const entries = (lines[sanAt + 1] ?? '').trim().split(', ');
    dns = entries.every((e) => /^[A-Za-z0-9 ]+:/.test(e) || e.startsWith('<')) ? entries.filter((e) => e.startsWith('DNS:')).map((e) => e.slice(4)) : undefined;
  }
  return { sha256: fp[1]!.replace(/:/g, '').toLowerCase(), cns, dns };
}

/** Whether OpenSSL sees the CT poison extension (RFC 6962 §3.1) in a block. */
function isPrecertificate(block: Block): boolean {
  const args = ['x509', '-noout', '-text', ...(block.der ? ['-inform', 'DER'] : [])];
  return execFileSync('openssl', args, { input: block.der ?? block.pem, stdio: 'pipe' }).toString('utf8').includes('CT Precertificate Poison');
}

function warren(block: Block): ParseResult {
  return block.der ? parseDer(block.der, {}) : parsePem(block.pem!, {});
}

const STACK_TRACE = /\n\s+at |node_modules|\.ts:\d+/;

// Blocks OpenSSL 3 refuses that Warren stores, and why: each is a certificate whose TBSCertificate
// decodes, so it is kept with what it breaks recorded (or, for the first, tolerated as RFC 5280
// asks), rather than lose its names.
const READ_ON_PURPOSE: Readonly<Record<string, RegExp | undefined>> = {
  // A negative serial with a redundant 0xFF: RFC 5280 §4.1.2.2 asks to handle it gracefully.
  'negative_serial.pem#1': undefined,
  // A subject whose UTF8String holds bytes that are not UTF-8; the CN is still readable.
  'cert_bad_utf8_subject.pem#1': undefined,
  // A serial with a leading zero byte: not DER, but the certificate is otherwise whole.
  'xf-der-invalid-nonminimal-int.pem#1': /serial number is not minimally encoded/,
};

describe.skipIf(!existsSync(certs) || !hasOpenSsl())('the certificate corpora against the openssl binary', () => {
  it('stores every certificate OpenSSL reads with its SHA-256, subject CN and SAN DNS names; refuses the rest with a reason', () => {
    const files = filesUnder(certs).filter((f) => /\.(pem|der|cert|chain|crt)$/.test(f));
    let opensslReads = 0;
    let stored = 0;
    let refused = 0;
    let withProblems = 0;
    let sanDumps = 0;
    let precertificates = 0;
    const readOnPurpose: string[] = [];
    for (const file of files) {
      for (const block of blocksOf(file)) {
        const name = block.name.slice(block.name.lastIndexOf('/') + 1);
        const view = openSsl(block);
        const result = warren(block);
        for (const e of result.errors) {
          expect(e.message, name).not.toBe('');
          expect(e.message, name).not.toMatch(STACK_TRACE);
        }
        const records = result.records.filter((r): r is CertificateRecord => r.kind === 'certificate');
        if (view === undefined) {
          if (records.length > 0) {
            expect(Object.keys(READ_ON_PURPOSE), `${name}: Warren reads a block OpenSSL refuses`).toContain(name);
            const expected = READ_ON_PURPOSE[name];
            if (expected) expect(records[0]!.fields['x509.problems']?.join('\n'), name).toMatch(expected);
            readOnPurpose.push(name);
          } else {
            expect(result.errors, name).toHaveLength(1);
            refused++;
          }
          continue;
        }
        opensslReads++;
        expect(result.errors, name).toEqual([]);
        expect(records, name).toHaveLength(1);
        const cert = records[0]!;
        stored++;
        if (cert.fields['x509.problems']) withProblems++;
        // Problems only where the corpus put them: its invalid/ folder and the repeated EKU
        // extension of multiple_eku.pem. Precertificates (critical CT poison) have none.
        const broken = block.name.includes('/x509/testdata/invalid/') || name === 'multiple_eku.pem#1';
        expect(cert.fields['x509.problems'] !== undefined, `${name}: ${cert.fields['x509.problems']?.join('; ')}`).toBe(broken);
        expect(cert.sha256, name).toBe(view.sha256);
        if (isPrecertificate(block)) precertificates++;
        const cns = view.cns.map((cn) => normaliseValue('x509.subject.common_name', cn)).filter((cn) => cn !== undefined);
        expect(cert.fields['x509.subject.common_name'] ?? [], name).toEqual(cns);
        if (view.dns === undefined) {
          sanDumps++;
          continue;
        }
        const san = new Set(cert.fields['x509.alternative_names'] ?? []);
        for (const dns of view.dns) expect(san.has(normaliseDomain(dns) ?? dns.trim().toLowerCase()), `${name}: SAN DNS ${dns}`).toBe(true);
      }
    }
    console.log(
      `openssl corpus: ${opensslReads} certificates OpenSSL reads, ${stored} stored by Warren (${withProblems} with x509.problems), ` +
        `${refused} refused by both, ${readOnPurpose.length} read only by Warren (${readOnPurpose.join(', ')}), ${sanDumps} SANs OpenSSL only dumps, ` +
        `${precertificates} precertificates`,
    );
    expect(opensslReads).toBeGreaterThan(50);
    expect(precertificates).toBeGreaterThanOrEqual(3);
    expect(stored).toBe(opensslReads);
  });
});
