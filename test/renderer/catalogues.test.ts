import { describe, expect, test } from 'vitest';
import { MESSAGES } from '../../shared/messages.js';
import { resources } from '../../renderer/i18n/resources.js';

/**
 * The catalogues' contract beyond what the compiler checks (renderer/i18n/types.ts Translation): every
 * language has exactly the English keys, each a non-empty string with the same interpolation values and the
 * same <tag> components, so no German screen shows a key, an English fallback or a "{{name}}" left unfilled.
 */

type Tree = { readonly [key: string]: string | Tree };

/** `users.list.title` → its string, for every leaf of a catalogue. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [p, v] of leaves(value, path)) out.set(p, v);
  }
  return out;
}

/** The `{{name}}` values (format ignored: `{{count, number}}` is `count`) and the `<tag>` components of a text. */
const variables = (text: string) => [...text.matchAll(/\{\{\s*(\w+)(?:\s*,[^}]*)?\}\}/g)].map((m) => m[1]).sort();
const tags = (text: string) => [...text.matchAll(/<(\w+)>/g)].map((m) => m[1]).sort();

const english = leaves(resources.en as unknown as Tree);

/** Texts a language writes as English does: names (of languages, of the product, of formats and standards) and shared words. */
const SHARED_WORDS: Partial<Record<keyof typeof resources, readonly string[]>> = {
  de: ['English', 'Deutsch', 'Keyrack', 'Name', 'Person', 'Status', 'Format', 'Filter', 'Port', 'Secret', 'Passphrase', 'TLS', 'STARTTLS', 'Server', 'KiB', 'CSV', 'JSON Lines', 'published_only', 'SQLite', 'PostgreSQL', 'Version'],
};
const languages = Object.keys(resources).filter((l) => l !== 'en') as (keyof typeof resources)[];

describe.each(languages)('the %s catalogue', (language) => {
  const other = leaves(resources[language] as unknown as Tree);

  test('has exactly the English keys', () => {
    expect([...other.keys()].sort()).toEqual([...english.keys()].sort());
  });

  test('fills in the same values and components as the English text, key by key', () => {
    const differing = [...english].filter(
      ([key, text]) =>
        JSON.stringify(variables(text)) !== JSON.stringify(variables(other.get(key) ?? '')) ||
        JSON.stringify(tags(text)) !== JSON.stringify(tags(other.get(key) ?? '')),
    );
    expect(differing.map(([key]) => key)).toEqual([]);
  });

  test('has a text of its own wherever the English one is not also a word of this language', () => {
    // A text copied over untranslated passes every other check, and the German journey too (it looks for
    // English the German catalogue does not have): here it fails unless it is a word both languages use.
    const shared = SHARED_WORDS[language] ?? [];
    const copied = [...english].filter(([key, text]) => other.get(key) === text && !shared.includes(text));
    expect(copied.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });

  test('has no empty text', () => {
    expect([...other].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  });
});

test('the English catalogue has no empty text and no value without its braces', () => {
  expect([...english].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
  // A half-typed placeholder ("{name}}", "{{name}") would show as is.
  expect([...english].filter(([, text]) => /(^|[^{])\{\w|\w\}([^}]|$)/.test(text.replace(/\{\{[^}]*\}\}/g, ''))).map(([key]) => key)).toEqual([]);
});

test('the messages namespace is the shared schemas’ messages, every one of them', () => {
  const keys = Object.keys(resources.en.messages).filter((k) => k !== 'labels');
  expect(keys.sort()).toEqual(Object.keys(MESSAGES).sort());
});

test('the helpers the checks rest on see what they must', () => {
  // A value the other text lacks, a tag it lost, a nested key.
  expect(variables('{{count, number}} events by {{name}}')).toEqual(['count', 'name']);
  expect(variables('{{count}} Ereignisse')).not.toEqual(variables('{{count}} events by {{name}}'));
  expect(tags('Start on the <overview>Overview</overview>')).toEqual(['overview']);
  expect(leaves({ a: { b: 'x' }, c: 'y' })).toEqual(new Map([['a.b', 'x'], ['c', 'y']]));
});
