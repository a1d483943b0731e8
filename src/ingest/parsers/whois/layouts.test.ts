// Table tests, one per layout family the WHOIS parser reads: small synthetic replies written from
// each format's public documentation (registry WHOIS policies and output descriptions), with
// made-up domains, names and handles. They pin the parser's generality: a registry's layout, not
// one corpus's files.
import { describe, expect, it } from 'vitest';
import type { WhoisRecord } from '../../records.js';
import { parseWhois } from './whois.js';

function fieldsOf(text: string, domain?: string): WhoisRecord['fields'] {
  const result = parseWhois(text, domain === undefined ? {} : { domain });
  expect(result.errors).toEqual([]);
  expect(result.records).toHaveLength(1);
  return (result.records[0] as WhoisRecord).fields;
}

/** `[field, value]` pairs the parse must give (first value of each field). */
type Expectation = readonly (readonly [string, string | undefined])[];

function check(text: string, expected: Expectation, domain?: string): void {
  const fields = fieldsOf(text, domain);
  for (const [field, value] of expected) expect([field, fields[field]?.[0]]).toEqual([field, value]);
}

const ICANN = `Domain Name: example-shop.com
Registry Domain ID: 1234567890_DOMAIN_COM-VRSN
Registrar WHOIS Server: whois.registrar.example
Updated Date: 2021-03-04T05:06:07.0Z
Creation Date: 2020-01-02T03:04:05.0Z
Registrar Registration Expiration Date: 2030-01-02T03:04:05.0Z
Registrar: Example Registrar, LLC
Registrar IANA ID: 9999
Registrant Name: REDACTED FOR PRIVACY
Registrant Organization: Example Shop Ltd
Registrant Email: https://registrar.example/contact
Name Server: NS1.EXAMPLE-DNS.NET
`;

describe('layouts: where the registrar is', () => {
  it.each([
    ['ICANN `Registrar:` line', ICANN, 'Example Registrar, LLC'],
    ['`Sponsoring Registrar` (.cn)', 'Domain Name: example.cn\nSponsoring Registrar: Example Network Co., Ltd.\nRegistration Time: 2003-03-17 12:20:05\nExpiration Time: 2030-03-17 12:48:36\n', 'Example Network Co., Ltd.'],
    ['`registrar name` (.nz)', 'domain_name: example.co.nz\nregistrar_name: Example Registrar NZ\ndomain_dateregistered: 2020-01-02T00:00:00+13:00\n', 'Example Registrar NZ'],
    ['`Registrar Name:` (.hk, .au)', 'Domain Name: EXAMPLE.HK\nRegistrar Name: Example Registrar Limited\nDomain Name Commencement Date: 02-01-2020\nExpiry Date: 02-01-2030\n', 'Example Registrar Limited'],
    [
      '`Registrar:` block with `Name:` below (.ee, .be, .eu)',
      'Domain:\nname:       example.ee\nregistered: 2020-01-02 03:04:05 +02:00\n\nRegistrar:\nname:       Example Registrar OÜ\nurl:        http://registrar.example\n',
      'Example Registrar OÜ',
    ],
    [
      'indented `Registrar:` block (.eu, .ca)',
      'Domain: example.eu\n\nRegistrar:\n        Name: Example Registrar BV\n        Website: https://registrar.example\n',
      'Example Registrar BV',
    ],
    [
      'Registrar block with a registry handle as `Name` (.it)',
      'Domain:             example.it\nStatus:             ok\nCreated:            2020-01-02 03:04:05\n\nRegistrar\n  Organization:     Example Registrar S.r.l.\n  Name:             EXAMPLE-REG\n  Web:              http://registrar.example\n',
      'Example Registrar S.r.l.',
    ],
    ['AFNIC `registrar:` line', 'domain:      example.fr\nstatus:      ACTIVE\nregistrar:   EXAMPLE REGISTRAR SAS\ncreated:     2020-01-02T03:04:05Z\n', 'EXAMPLE REGISTRAR SAS'],
    [
      'Nominet `Registrar:` block with its tag',
      '    Domain name:\n        example.co.uk\n\n    Registrar:\n        Example Registrar Ltd [Tag = EXAMPLE]\n        URL: https://registrar.example\n\n    Relevant dates:\n        Registered on: 02-Jan-2020\n',
      'Example Registrar Ltd [Tag = EXAMPLE]',
    ],
    ['`Authorized Agency` (.kr)', 'Domain Name                 : example.kr\nAuthorized Agency           : Example Agency Inc. (http://agency.example)\nRegistered Date             : 2020. 01. 02.\n', 'Example Agency Inc.'],
    ['`Registration Service Provider` (.tw)', 'Domain Name: example.tw\nRegistration Service Provider: Example Telecom\nRecord created on 2020-01-02 03:04:05 (UTC+8)\n', 'Example Telecom'],
    [
      '`** Registrar:` section with `Organization Name` (.tr)',
      '** Domain Name: example.com.tr\n\n** Registrar:\nNIC Handle\t\t: exa1-metu\nOrganization Name\t: Example Bilisim A.S.\n\n** Additional Info:\nCreated on..............: 2001-Aug-23.\n',
      'Example Bilisim A.S.',
    ],
    ['upper-case header over unlabelled lines (.pl)', 'DOMAIN NAME:           example.pl\ncreated:               2020.01.02 03:04:05\n\nREGISTRAR:\nExample Registrar Sp. z o.o.\nul. Przykladowa 1\n', 'Example Registrar Sp. z o.o.'],
  ])('%s', (_name, text, registrar) => {
    check(text, [['whois.registrar', registrar]]);
  });
});

describe('layouts: every spelling of the last update', () => {
  const reply = (key: string, value: string): string => `Domain Name: example.net\nRegistrar: Example Registrar\n${key}: ${value}\n`;
  it.each([
    ['Updated Date', '2021-03-04T05:06:07Z'],
    ['changed', '2021-03-04 05:06:07'],
    ['last-modified', '2021-03-04T05:06:07Z'],
    ['Last updated', '04-Mar-2021 05:06:07'],
    ['Last Updated On', '2021-03-04 05:06:07'],
    ['modified', '2021-03-04'],
    ['Last Modified', '2021-03-04 05:06:07'],
    ['last-update', '2021-03-04T05:06:07Z'],
    ['Modification date', '04.03.2021 05:06:07'],
    ['Date of last change', '2021-03-04'],
    ['Record last updated on', '2021-03-04'],
    ['[Last Update]', '2021/03/04 14:06:07 (JST)'],
  ])('%s', (key, value) => {
    const text = key.startsWith('[') ? `[Domain Name]  EXAMPLE.JP\n${key} ${value}\n` : reply(key, value);
    expect(fieldsOf(text)['whois.updated']).toEqual([key.startsWith('[') ? '2021-03-04T05:06:07Z' : value.includes(':') ? '2021-03-04T05:06:07Z' : '2021-03-04T00:00:00Z']);
  });

  it('takes the domain block\'s `changed`, not a contact object\'s (RIPE-style)', () => {
    const text = 'domain:   example.ua\ncreated:  2020-01-02 03:04:05+02\nmodified: 2021-03-04 05:06:07+02\n\nnic-hdl:  EX1-UA\nperson:   Example Person\nchanged:  2022-01-01 00:00:00+02\n';
    expect(fieldsOf(text)['whois.updated']).toEqual(['2021-03-04T03:06:07Z']);
  });
});

describe('layouts: dates in the registry\'s convention', () => {
  it.each([
    // Day first at AFNIC and .pt (ccTLD convention), whatever the separator.
    ['example.fr', 'domain:      example.fr\nregistrar:   Example Registrar\ncreated:     02/01/2020\nlast-update: 03/04/2021\n', '2020-01-02T00:00:00Z', '2021-04-03T00:00:00Z'],
    ['example.pt', 'Domain: example.pt\nCreation Date: 02/01/2020 03:04:05\nExpiration Date: 02/01/2030 03:04:05\nOwner Name: Exemplo Lda\n', '2020-01-02T03:04:05Z', undefined],
    // Month first at Freenom, which its own unambiguous dates show.
    ['example.tk', 'Domain name:\n   EXAMPLE.TK\n\nDomain registered: 12/18/2001\nRecord will expire on: 03/02/2030\n', '2001-12-18T00:00:00Z', undefined],
    // A reply whose unambiguous date shows day first settles its ambiguous one, even in a gTLD.
    ['example.com', 'Domain Name: example.com\nRegistrar: Example Registrar\nCreation Date: 25/12/2019\nUpdated Date: 02/01/2021\n', '2019-12-25T00:00:00Z', '2021-01-02T00:00:00Z'],
    // .br: compact dates with a ticket number; SWITCH: the database's lower bound.
    ['example.com.br', 'domain:      example.com.br\nowner:       Exemplo Ltda\ncreated:     20200102 #1234567\nchanged:     20210304\nexpires:     20300102\n', '2020-01-02T00:00:00Z', '2021-03-04T00:00:00Z'],
    ['example.ch', 'Domain name\texample.ch\n\nRegistrar\tExample Registrar SA\n\nFirst registration date\tbefore 1 January 1996\n', '1996-01-01T00:00:00Z', undefined],
  ])('%s', (domain, text, created, updated) => {
    const f = fieldsOf(text);
    expect(f['whois.created']?.[0]).toBe(created);
    expect(f['whois.updated']?.[0]).toBe(updated);
    expect((parseWhois(text, {}).records[0] as WhoisRecord | undefined)?.domain).toBe(domain);
  });

  it('uses the caller\'s domain for the convention when the reply names none', () => {
    const text = 'Registrar: Example Registrar\nCreation Date: 02/01/2020\n';
    expect(fieldsOf(text, 'example.fr')['whois.created']).toEqual(['2020-01-02T00:00:00Z']);
    expect(fieldsOf(text, 'example.us')['whois.created']).toEqual(['2020-02-01T00:00:00Z']);
  });
});

describe('layouts: contacts in multi-block replies', () => {
  it('resolves RIPE-style person objects by handle from the domain block', () => {
    const text = [
      'domain:     example.ua',
      'registrar:  ua.example',
      'admin-c:    EXA1-UA',
      'tech-c:     EXT2-UA',
      'created:    2020-01-02 03:04:05+02',
      '',
      'nic-hdl:    EXT2-UA',
      'person:     Tech Person',
      'organization: Example Hosting LLC',
      'e-mail:     tech@hosting.example',
      '',
      'nic-hdl:    EXA1-UA',
      'person:     n/a',
      'person-loc: Admin Person',
      'e-mail:     admin@example.example',
      '',
    ].join('\n');
    check(text, [
      ['whois.admin.name', 'Admin Person'],
      ['whois.admin.email', 'admin@example.example'],
      ['whois.tech.name', 'Tech Person'],
      ['whois.tech.organization', 'Example Hosting LLC'],
      ['whois.tech.email', 'tech@hosting.example'],
    ]);
  });

  it('reads AFNIC holder-c / admin-c objects with their `contact:` and `type:`', () => {
    const text = [
      'domain:      example.fr',
      'status:      ACTIVE',
      'holder-c:    EX123-FRNIC',
      'admin-c:     AD456-FRNIC',
      'registrar:   EXAMPLE REGISTRAR',
      'created:     02/01/2020',
      '',
      'nic-hdl:     EX123-FRNIC',
      'type:        ORGANIZATION',
      'contact:     Exemple SAS',
      'address:     1 rue Exemple',
      'address:     75001 Paris',
      'country:     FR',
      'e-mail:      domaines@exemple.example',
      '',
      'nic-hdl:     AD456-FRNIC',
      'type:        PERSON',
      'contact:     Jeanne Exemple',
      'e-mail:      jeanne@exemple.example',
      '',
    ].join('\n');
    check(text, [
      ['whois.registrant.name', 'Exemple SAS'],
      ['whois.registrant.email', 'domaines@exemple.example'],
      ['whois.registrant.country', 'FR'],
      ['whois.admin.name', 'Jeanne Exemple'],
      ['whois.admin.email', 'jeanne@exemple.example'],
      ['whois.created', '2020-01-02T00:00:00Z'],
    ]);
  });

  it('reads DENIC `[Holder]` and `[Tech-C]` blocks', () => {
    const text = [
      'Domain: example.de',
      'Nserver: ns1.example.de',
      'Status: connect',
      'Changed: 2021-03-04T05:06:07+01:00',
      '',
      '[Holder]',
      'Type: ORG',
      'Name: Beispiel GmbH',
      'Address: Beispielweg 1',
      'PostalCode: 10115',
      'City: Berlin',
      'CountryCode: DE',
      '',
      '[Tech-C]',
      'Type: ROLE',
      'Name: Hostmaster Beispiel',
      'Email: hostmaster@beispiel.example',
      '',
    ].join('\n');
    check(text, [
      ['whois.registrant.name', 'Beispiel GmbH'],
      ['whois.registrant.organization', 'Beispiel GmbH'],
      ['whois.registrant.city', 'Berlin'],
      ['whois.tech.name', 'Hostmaster Beispiel'],
      ['whois.tech.email', 'hostmaster@beispiel.example'],
      ['whois.updated', '2021-03-04T04:06:07Z'],
    ]);
  });

  it('reads .br owner and owner-c objects', () => {
    const text = [
      'domain:      example.com.br',
      'owner:       Exemplo Comercio Ltda',
      'owner-c:     EXC12',
      'tech-c:      EXT34',
      'created:     20200102 #1234567',
      'changed:     20210304',
      '',
      'nic-hdl-br:  EXC12',
      'person:      Maria Exemplo',
      'e-mail:      maria@exemplo.example',
      'created:     20000101',
      'changed:     20100101',
      '',
      'nic-hdl-br:  EXT34',
      'person:      Joao Exemplo',
      'e-mail:      joao@exemplo.example',
      '',
    ].join('\n');
    check(text, [
      ['whois.registrant.organization', 'Exemplo Comercio Ltda'],
      ['whois.registrant.name', 'Maria Exemplo'],
      ['whois.tech.email', 'joao@exemplo.example'],
      ['whois.created', '2020-01-02T00:00:00Z'],
      ['whois.updated', '2021-03-04T00:00:00Z'],
    ]);
  });

  it('names the registrant by its handle when the registry publishes nothing else (.se, .nu)', () => {
    const text = 'state:    active\ndomain:   example.se\nholder:   exa1234-00001\nadmin-c:  -\ntech-c:   -\ncreated:  2020-01-02\nmodified: 2021-03-04\nexpires:  2030-01-02\nregistrar: Example Registrar AB\n';
    check(text, [
      ['whois.registrant.organization', 'exa1234-00001'],
      ['whois.registrant.name', undefined],
      ['whois.registrar', 'Example Registrar AB'],
      ['whois.updated', '2021-03-04T00:00:00Z'],
    ]);
  });

  it.each([
    // One bare name for the registrant: its name, and its organisation when it is a company's.
    ['Registrant: Example LLC\nAddress: 1 Example Street', 'Example LLC', 'Example LLC'],
    ['Registrant: Primjer d.o.o.\nAddress: Primjerna 1', 'Primjer d.o.o.', 'Primjer d.o.o.'],
    ['Registrant: Jane Example\nAddress: 1 Example Street', 'Jane Example', undefined],
  ])('a bare registrant value %j', (lines, name, organization) => {
    check(`Domain name: example.rs\nRegistration date: 02.01.2020 03:04:05\n\n${lines}\n`, [
      ['whois.registrant.name', name],
      ['whois.registrant.organization', organization],
    ]);
  });

  it('prefers a value to a placeholder whatever the key order', () => {
    const text = 'domain: example.ua\ncreated: 2020-01-02\n\nperson-loc: Example Person\nperson: n/a\norganization: n/a\norganization-loc: Example Org\n';
    const f = fieldsOf(text);
    expect(f['whois.registrant.name']?.[0]).toBe('Example Person');
    expect(f['whois.registrant.organization']?.[0]).toBe('Example Org');
  });
});

describe('layouts: JPRS bracketed keys', () => {
  it('reads the registrant, dates and name servers', () => {
    const text = [
      '[ JPRS database provides information on network administration. ]',
      '',
      'Domain Information:',
      'a. [Domain Name]                EXAMPLE.CO.JP',
      'g. [Organization]               Example K.K.',
      'p. [Name Server]                ns1.example.jp',
      '[State]                         Connected (2030/01/31)',
      '[Registered Date]               2020/01/02',
      '[Connected Date]                2020/01/03',
      '[Last Update]                   2021/03/04 01:05:09 (JST)',
    ].join('\n');
    check(text, [
      ['whois.registrant.organization', 'Example K.K.'],
      ['whois.created', '2020-01-02T00:00:00Z'],
      ['whois.updated', '2021-03-03T16:05:09Z'],
      ['whois.name_servers', 'ns1.example.jp'],
    ]);
  });
});
