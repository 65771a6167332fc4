import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { sourceHash } from '../../src/cache/source-hash.js';

const sha1 = (text: string) => createHash('sha1').update(text).digest('base64url');

it('hashes a source once, and again when its text was let go or the file read anew', () => {
  const file = { path: 'content/posts/essai-invente.md', text: '---\ntitle: Un essai inventé\n---\n\nTexte.\n' };
  expect(sourceHash(file)).toBe(sha1(file.text));
  expect(sourceHash(file)).toBe(sha1(file.text));
  const reread = { ...file, text: file.text.replace('Texte', 'Autre texte') };
  expect(sourceHash(reread)).toBe(sha1(reread.text));
  file.text = '';
  expect(sourceHash(file)).toBe(sha1(''));
});
