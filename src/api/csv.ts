// CSV lines (RFC 4180) for exports. Values come from the data (WHOIS contacts, certificate
// names), which anyone can write: a cell starting with = + - @ or a tab / carriage return would be
// run as a formula by a spreadsheet, so it gets a leading apostrophe (OWASP's "CSV injection"
// advice), which spreadsheets show as text and hide.
const FORMULA = /^[=+\-@\t\r]/;
const QUOTE = /[",\r\n]/;

function cell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return QUOTE.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** One record, CRLF-terminated as RFC 4180 has it. */
export function csvLine(values: readonly string[]): string {
  return `${values.map(cell).join(',')}\r\n`;
}
