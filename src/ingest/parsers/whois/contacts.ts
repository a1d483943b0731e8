// Contacts as they are assembled from a reply: each attribute keeps its best candidate (lowest
// rank, then first seen), because the same attribute often comes several ways — a Korean and an
// English key, `person` and `person-loc`, a labelled key and a guess from an unlabelled block.
import type { Attr } from './keys.js';
import { emailsIn, isPlaceholder } from './values.js';

interface Candidate {
  readonly value: string;
  readonly rank: number;
  readonly placeholder: boolean;
}

/**
 * The best of several candidate values: a value beats a placeholder (`person: n/a` beside
 * `person-loc: Example Inc.`, .ua), then the lowest rank wins, then the first offered.
 */
export class Best {
  private current: Candidate | undefined;

  offer(value: string, rank: number, placeholder = false): void {
    const c = this.current;
    if (c === undefined || (c.placeholder && !placeholder) || (c.placeholder === placeholder && rank < c.rank)) this.current = { value, rank, placeholder };
  }

  get value(): string | undefined {
    return this.current?.value;
  }
}

export interface ContactValues {
  name?: string;
  organization?: string;
  email?: string;
  phone?: string;
  street: string[];
  city?: string;
  state?: string;
  postal_code?: string;
  country?: string;
  /** Every name and organisation offered, for the cross-contact search fields. */
  names: string[];
  organizations: string[];
}

type SingleAttr = Exclude<Attr, 'street'>;

export class ContactDraft {
  private readonly attrs = new Map<SingleAttr, Best>();
  private streets: { rank: number; lines: string[] } | undefined;
  private readonly allNames: string[] = [];
  private readonly allOrganizations: string[] = [];
  /** The value of a bare party key (`Registrant: Example Ltd`): a name, or an organisation beside a name. */
  private partyValue: { value: string; orgFirst: boolean } | undefined;

  /**
   * Offers one attribute value. Redaction text ("REDACTED FOR PRIVACY", "Please query the RDDS
   * service…") is kept as the registry gave it: analysts pivot on privacy services too, and a
   * parser should lose nothing the reply said. An email field holding an address gives the
   * address.
   */
  offer(attr: Attr, raw: string, rank: number, more: readonly string[] = []): void {
    if (attr === 'street') {
      this.offerStreet([raw, ...more], rank);
      return;
    }
    let value = raw.trim();
    if (value === '') return;
    if (attr === 'email') value = emailsIn(value)[0] ?? value;
    if (attr === 'name') this.allNames.push(value);
    if (attr === 'organization') this.allOrganizations.push(value);
    let best = this.attrs.get(attr);
    if (!best) {
      best = new Best();
      this.attrs.set(attr, best);
    }
    best.offer(value, rank, isPlaceholder(value));
  }

  /** Whether the contact has a name or an organisation (given, or from a bare party value). */
  get named(): boolean {
    return this.attrs.get('name')?.value !== undefined || this.attrs.get('organization')?.value !== undefined || this.attrs.get('given')?.value !== undefined || this.partyValue !== undefined;
  }

  private offerStreet(lines: readonly string[], rank: number): void {
    const kept = lines.map((l) => l.trim()).filter((l) => l !== '');
    if (kept.length === 0) return;
    if (this.streets === undefined || rank < this.streets.rank) this.streets = { rank, lines: [...kept] };
    else if (rank === this.streets.rank) this.streets.lines.push(...kept);
  }

  setPartyValue(value: string, orgFirst: boolean): void {
    if (this.partyValue === undefined && value.trim() !== '') this.partyValue = { value: value.trim(), orgFirst };
  }

  /** Takes every attribute of `other` (a contact object found by handle) at the given rank. */
  absorb(other: ContactDraft, rank: number): void {
    for (const [attr, best] of other.attrs) if (best.value !== undefined) this.offer(attr, best.value, rank);
    if (other.streets) this.offerStreet(other.streets.lines, rank);
    if (other.partyValue) this.setPartyValue(other.partyValue.value, other.partyValue.orgFirst);
  }

  values(): ContactValues {
    const get = (a: SingleAttr): string | undefined => this.attrs.get(a)?.value;
    let name = get('name') ?? joinName(get('given'), get('family'));
    let organization = get('organization');
    const names = [...this.allNames];
    const organizations = [...this.allOrganizations];
    if (this.partyValue) {
      const { value, orgFirst } = this.partyValue;
      // A bare `Registrant:` value is the registrant's name unless a name is given elsewhere
      // (.au gives `Registrant Contact Name` and then `Registrant: <organisation>`). When it
      // carries a company's legal form (`Registrant: Example LLC`, .rs, .cn) it is also the
      // organisation: the one name the registry gives is a company's.
      if (!orgFirst && name === undefined) {
        name = value;
        names.push(value);
        if (organization === undefined && looksLikeOrganisation(value)) {
          organization = value;
          organizations.push(value);
        }
      } else if (organization === undefined) {
        organization = value;
        organizations.push(value);
      }
    }
    // `Type: ORG` / `Name: Example GmbH` (DENIC), `type: ORGANIZATION` / `contact: Example SAS`
    // (AFNIC): a contact whose only name is a company's has that company as its organisation.
    if (organization === undefined && name !== undefined && looksLikeOrganisation(name)) {
      organization = name;
      organizations.push(name);
    }
    if (name !== undefined && !names.includes(name)) names.push(name);
    const out: ContactValues = { street: this.streets?.lines ?? [], names, organizations };
    if (name !== undefined) out.name = name;
    if (organization !== undefined) out.organization = organization;
    for (const attr of ['email', 'phone', 'city', 'state', 'postal_code', 'country'] as const) {
      const v = get(attr);
      if (v !== undefined) out[attr] = v;
    }
    return out;
  }
}

/**
 * Legal forms that mark a company name, across the registries' languages: `LLC`, `Inc.`, `Ltd`,
 * `GmbH`, `S.A.`, `d.o.o.`, `S.r.l.`, `B.V.`, `AB`, `Oy`, `K.K.`, `Pty`, `Corp.` …
 */
const LEGAL_FORM =
  /(?:^|[\s,])(?:llc|l\.l\.c\.|inc|incorporated|ltd|limited|corp|corporation|company|co\.|gmbh|ag|kg|s\.?a\.?|s\.?a\.?s\.?|s\.?a\.?r\.?l\.?|s\.?r\.?l\.?|s\.?p\.?a\.?|d\.?o\.?o\.?|b\.?v\.?|n\.?v\.?|a\.?s\.?|ab|oy|oyj|k\.?k\.?|pty|plc|llp|lp|sp\. z o\.o\.|s\.?l\.?|ltda|e\.?v\.?|a\/s|aps|as|ооо|зао|оао|пао)\.?(?=$|[\s,)])/iu;

/** Whether a bare name is a company's (it carries a legal form). */
export function looksLikeOrganisation(value: string): boolean {
  return LEGAL_FORM.test(value.trim());
}

/** `Given name: DOMAIN` + `Family name: ADMINISTRATOR` (.hk), where `.` stands for no family name. */
function joinName(given: string | undefined, family: string | undefined): string | undefined {
  const parts = [given, family].filter((p): p is string => p !== undefined && !/^[.\s-]*$/.test(p));
  return parts.length === 0 ? undefined : parts.join(' ');
}

const PHONE = /^\+?\d[\d\s().\-/]{5,}$/;

/**
 * An unlabelled contact block (.edu, .tw, .tk, .gg): lines of name, organisation, address,
 * phone and email in a registry-specific order. What is recognisable by form (emails, phone
 * numbers) is taken by form; the rest by position:
 * - a line with a name before its email (`DNS Admin  dns-admin@example.com`, .tw) is the name,
 *   and the lines above it the organisation;
 * - `Organisation:` blocks (.tk) give the organisation, then the person;
 * - a registrant block gives the organisation, then the address (.edu), or just one name (.gg);
 * - other contacts give the person, then the organisation, then the address (.edu).
 */
export function offerUnlabelled(draft: ContactDraft, lines: readonly string[], registrant: boolean, orgFirst: boolean, rank: number): void {
  // Placeholders keep their place: in `Not displayed due to GDPR` / `FR` (.tw) the second line
  // is the address, not the registrant's name. `offer` drops them afterwards.
  const texts = lines.map((l) => l.trim()).filter((l) => l !== '');
  const others: string[] = [];
  let nameBeforeEmail: { name: string; at: number } | undefined;
  let phoneSeen = false;
  for (const text of texts) {
    const emails = emailsIn(text);
    if (emails.length > 0) {
      draft.offer('email', emails[0]!, rank);
      const rest = emails.reduce((t, e) => t.replace(e, ' '), text).replace(/[\s,;:]+$/, '').trim();
      if (rest !== '' && nameBeforeEmail === undefined && !/^e-?mail$/i.test(rest)) nameBeforeEmail = { name: rest, at: others.length };
      continue;
    }
    if (PHONE.test(text) && (text.match(/\d/g)?.length ?? 0) >= 6) {
      // The second number in these blocks is the fax.
      if (!phoneSeen) draft.offer('phone', text, rank);
      phoneSeen = true;
      continue;
    }
    others.push(text);
  }
  const offerStreet = (from: number): void => {
    if (others.length > from) draft.offer('street', others[from]!, rank, others.slice(from + 1));
  };
  if (orgFirst) {
    if (others[0] !== undefined) draft.offer('organization', others[0], rank);
    if (others[1] !== undefined) draft.offer('name', others[1], rank);
    offerStreet(2);
  } else if (nameBeforeEmail) {
    draft.offer('name', nameBeforeEmail.name, rank);
    const organisation = others.slice(0, nameBeforeEmail.at).join(', ');
    if (organisation !== '') draft.offer('organization', organisation, rank);
    offerStreet(nameBeforeEmail.at);
  } else if (registrant) {
    if (others.length === 1) draft.offer('name', others[0]!, rank);
    else if (others.length > 1) {
      draft.offer('organization', others[0]!, rank);
      offerStreet(1);
    }
  } else {
    if (others[0] !== undefined) draft.offer('name', others[0], rank);
    if (others[1] !== undefined) draft.offer('organization', others[1], rank);
    offerStreet(2);
  }
}
