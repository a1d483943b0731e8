import { describe, expect, it } from 'vitest';
import { dayOrderEvidence, parseWhoisDate, zoneOffsetMinutes } from './dates.js';

describe('parseWhoisDate', () => {
  it.each([
    // ISO, with and without zone, fractions dropped.
    ['2003-08-01T10:00:00Z', '2003-08-01T10:00:00Z'],
    ['2003-08-01T10:00:00.123Z', '2003-08-01T10:00:00Z'],
    ['2019-09-09T08:39:04-0700', '2019-09-09T15:39:04Z'],
    ['2008-10-22T11:33:44+02:00', '2008-10-22T09:33:44Z'],
    ['2003-08-01 10:00:00', '2003-08-01T10:00:00Z'],
    ['2003-08-01', '2003-08-01T00:00:00Z'],
    ['2018-02-05 22:59:12.55172', '2018-02-05T22:59:12Z'],
    ['2010-07-04 04:34:46 +03:00', '2010-07-04T01:34:46Z'],
    ['2007-10-04 13:40:19+03', '2007-10-04T10:40:19Z'],
    ['2019-09-30 07:34:22 -0700', '2019-09-30T14:34:22Z'],
    ['2001-06-14-T10:32:43Z', '2001-06-14T10:32:43Z'],
    ['2003-08-01 10:00:00 UTC', '2003-08-01T10:00:00Z'],
    // Zones in parentheses, format hints, trailing noise.
    ['1999-06-07 13:01:43 (GMT+0:00)', '1999-06-07T13:01:43Z'],
    ['2000-08-29 10:22:50 (UTC+8)', '2000-08-29T02:22:50Z'],
    ['2017/06/01 01:05:09 (JST)', '2017-05-31T16:05:09Z'],
    ['2005-10-27 (YYYY-MM-DD)', '2005-10-27T00:00:00Z'],
    ['19961206 #24302', '1996-12-06T00:00:00Z'],
    ['2015-03-20T21:13:41Z nic@nic.fr', '2015-03-20T21:13:41Z'],
    // Other separators and orders.
    ['2003/08/01', '2003-08-01T00:00:00Z'],
    ['2003.08.01 10:00:00', '2003-08-01T10:00:00Z'],
    ['2007. 03. 02.', '2007-03-02T00:00:00Z'],
    ['20030801', '2003-08-01T00:00:00Z'],
    ['20170315 14:41:55', '2017-03-15T14:41:55Z'],
    ['01.08.2003', '2003-08-01T00:00:00Z'],
    ['30.6.2006 00:00:00', '2006-06-30T00:00:00Z'],
    ['31-03-2020', '2020-03-31T00:00:00Z'],
    ['06-04-2004', '2004-04-06T00:00:00Z'],
    ['12/18/2001', '2001-12-18T00:00:00Z'],
    ['31/12/2001', '2001-12-31T00:00:00Z'],
    // Month names.
    ['01-Aug-2003', '2003-08-01T00:00:00Z'],
    ['01-aug-2003 10:00:00 UTC', '2003-08-01T10:00:00Z'],
    ['Fri Aug 01 2003', '2003-08-01T00:00:00Z'],
    ['Tue Sep 10 18:19:01 GMT 2019', '2019-09-10T18:19:01Z'],
    ['31 May 1999', '1999-05-31T00:00:00Z'],
    ['August 1, 2003', '2003-08-01T00:00:00Z'],
    ['30th April 2003 at 00:00:00.000', '2003-04-30T00:00:00Z'],
    ['09:42:27 12-Oct-2019', '2019-10-12T09:42:27Z'],
    ['Fri, 6 Dec 2024 at 14:12:16 GMT', '2024-12-06T14:12:16Z'],
  ])('%s', (input, expected) => {
    expect(parseWhoisDate(input)).toBe(expected);
  });

  // The formats registries document, one per family, with zones where they give them.
  it.each([
    // ISO 8601 with a one-digit fraction (Verisign-style registries), and with an offset.
    ['2020-01-02T03:04:05.0Z', '2020-01-02T03:04:05Z'],
    ['2020-01-02T03:04:05.0+01:00', '2020-01-02T02:04:05Z'],
    ['2020-01-02 03:04:05+03', '2020-01-02T00:04:05Z'],
    // Day, month name, year (Nominet, .sg, .ie), year-first with a month name and a full stop (.tr).
    ['02-Jan-2020', '2020-01-02T00:00:00Z'],
    ['02-JAN-2020 13:14:15', '2020-01-02T13:14:15Z'],
    ['2001-Aug-23.', '2001-08-23T00:00:00Z'],
    // Dotted year first (.pl, .lv), compact (.br, .il), with zones.
    ['2020.01.02', '2020-01-02T00:00:00Z'],
    ['2020.01.02 13:14:15 CET', '2020-01-02T12:14:15Z'],
    ['20200102', '2020-01-02T00:00:00Z'],
    ['20200102 (UTC+3)', '2020-01-01T21:00:00Z'],
    // Month name first (US registrars), with and without a comma, a zone or a weekday.
    ['Jan 2 2020', '2020-01-02T00:00:00Z'],
    ['Jan 02, 2020 10:00 PST', '2020-01-02T18:00:00Z'],
    ['Thu Jan 02 2020 10:00:00 GMT+0100', '2020-01-02T09:00:00Z'],
    // RIPE-style `changed:` values: the editor's address first, then a compact date.
    ['hostmaster@example.net 20200102', '2020-01-02T00:00:00Z'],
    // South American zone abbreviations (NIC Chile, registro.br).
    ['2002-10-22 17:48:23 CLST', '2002-10-22T20:48:23Z'],
    ['2021-06-20 14:48:02 CLT', '2021-06-20T18:48:02Z'],
    ['2020-01-02 10:00:00 BRT', '2020-01-02T13:00:00Z'],
    // A registry's bound: SWITCH's registrations older than its database.
    ['before 1 January 1996', '1996-01-01T00:00:00Z'],
    ['before 19960101', '1996-01-01T00:00:00Z'],
  ])('documented format %s', (input, expected) => {
    expect(parseWhoisDate(input)).toBe(expected);
  });

  it.each([
    // Slashes: the impossible month decides, then the caller's order, then the US order.
    ['13/01/2020', undefined, '2020-01-13T00:00:00Z'],
    ['01/13/2020', undefined, '2020-01-13T00:00:00Z'],
    ['02/01/2020', undefined, '2020-02-01T00:00:00Z'],
    ['02/01/2020', true, '2020-01-02T00:00:00Z'],
    ['02/01/2020 10:00:00', false, '2020-02-01T10:00:00Z'],
    ['02.01.2020', undefined, '2020-01-02T00:00:00Z'],
    ['13/01/2020', false, '2020-01-13T00:00:00Z'],
  ])('%s with dayFirst %j', (input, dayFirst, expected) => {
    expect(parseWhoisDate(input, { dayFirst })).toBe(expected);
  });

  it.each([
    ['13/01/2020', true],
    ['01/13/2020', false],
    ['02/01/2020', undefined],
    ['2020-01-02', undefined],
    ['created 31.12.1999 10:00', true],
  ])('dayOrderEvidence(%j) is %j', (input, expected) => {
    expect(dayOrderEvidence(input)).toBe(expected);
  });

  it.each(['', 'after 1 January 1996', 'before', 'about 2003', '30th April each year', '2003-02-30', '2003-13-01', 'soon', '12:00', '2003-08-01 10:00:00 Mars time', 'x'.repeat(200)])(
    'rejects %j',
    (input) => {
      expect(parseWhoisDate(input)).toBeUndefined();
    },
  );
});

describe('zoneOffsetMinutes', () => {
  it.each([
    ['Z', 0],
    ['+03', 180],
    ['-0700', -420],
    ['+05:30', 330],
    ['UTC+8', 480],
    ['GMT-3:30', -210],
    ['JST', 540],
    ['CEST', 120],
  ])('%s', (zone, minutes) => {
    expect(zoneOffsetMinutes(zone)).toBe(minutes);
  });

  it('rejects unknown or ambiguous zones', () => {
    expect(zoneOffsetMinutes('CST')).toBeUndefined();
    expect(zoneOffsetMinutes('+25')).toBeUndefined();
  });
});
