// Internationalised domain names as the UI shows them: the Unicode form of an A-label, the
// scripts a label mixes, and why a name may be a look-alike. The skeleton (UTS #39 confusables)
// comes from the catalogue's `domain.skeleton`: nothing here folds confusables itself.
import punycode from 'punycode/punycode.js';

/** The Unicode form of an A-label name; a label that does not decode stays as it is. */
export function toUnicode(name: string): string {
  return name
    .split('.')
    .map((label) => {
      if (!label.startsWith('xn--')) return label;
      try {
        return punycode.decode(label.slice(4));
      } catch {
        return label;
      }
    })
    .join('.');
}

// The scripts a look-alike is made from in practice, matched by Script_Extensions. A letter of
// none of them counts as "other script", so a label mixing it with one of these is still reported.
const SCRIPTS: readonly [string, RegExp][] = [
  ['Latin', /\p{Script_Extensions=Latin}/u],
  ['Cyrillic', /\p{Script_Extensions=Cyrillic}/u],
  ['Greek', /\p{Script_Extensions=Greek}/u],
  ['Armenian', /\p{Script_Extensions=Armenian}/u],
  ['Georgian', /\p{Script_Extensions=Georgian}/u],
  ['Hebrew', /\p{Script_Extensions=Hebrew}/u],
  ['Arabic', /\p{Script_Extensions=Arabic}/u],
  ['Cherokee', /\p{Script_Extensions=Cherokee}/u],
  ['Han', /\p{Script_Extensions=Han}/u],
  ['Hiragana', /\p{Script_Extensions=Hiragana}/u],
  ['Katakana', /\p{Script_Extensions=Katakana}/u],
  ['Hangul', /\p{Script_Extensions=Hangul}/u],
  ['Bopomofo', /\p{Script_Extensions=Bopomofo}/u],
  ['Thai', /\p{Script_Extensions=Thai}/u],
  ['Devanagari', /\p{Script_Extensions=Devanagari}/u],
];

// Script sets one writing system uses together (UTS #39's "highly restrictive" level): a label
// within one of them is not mixed.
const TOGETHER: readonly (readonly string[])[] = [
  ['Latin', 'Han', 'Hiragana', 'Katakana'],
  ['Latin', 'Han', 'Bopomofo'],
  ['Latin', 'Han', 'Hangul'],
];

function scriptOf(ch: string): string | undefined {
  // Digits, hyphens and marks belong to every script.
  if (!/\p{L}/u.test(ch)) return undefined;
  // By script extensions, so a letter shared by scripts (the long-vowel mark ー of Hiragana and
  // Katakana) counts as one of them; a shared letter of none of the list counts as none.
  const found = SCRIPTS.find(([, re]) => re.test(ch))?.[0];
  if (found) return found;
  return /\p{Script=Common}|\p{Script=Inherited}/u.test(ch) ? undefined : 'other script';
}

/** The labels of a Unicode name that mix scripts, each with the scripts it mixes. */
export function mixedScriptLabels(unicode: string): { label: string; scripts: string[] }[] {
  const out: { label: string; scripts: string[] }[] = [];
  for (const label of unicode.split('.')) {
    const scripts = new Set<string>();
    for (const ch of label) {
      const s = scriptOf(ch);
      if (s) scripts.add(s);
    }
    if (scripts.size < 2) continue;
    const list = [...scripts];
    if (TOGETHER.some((set) => list.every((s) => set.includes(s)))) continue;
    out.push({ label, scripts: list });
  }
  return out;
}

/**
 * Why a domain may imitate another, in words; empty when nothing suggests it. `skeleton` is the
 * catalogue's `domain.skeleton` of the name (absent where the page does not have it).
 */
export function lookalikeReasons(unicode: string, skeleton?: string): string[] {
  const reasons: string[] = [];
  if (skeleton !== undefined && skeleton !== unicode) reasons.push(`it reads as ${skeleton}: it has characters confusable with others`);
  for (const m of mixedScriptLabels(unicode)) reasons.push(`“${m.label}” mixes ${m.scripts.join(' and ')} letters`);
  return reasons;
}
