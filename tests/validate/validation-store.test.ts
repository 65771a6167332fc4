import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ContentSources } from '../../src/load/read-sources.js';
import { validateContent } from '../../src/validate/validate-content.js';
import { openValidationStore } from '../../src/validate/validation-store.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'agora-validation-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const essay = (title: string, body: string) => ({ path: 'content/posts/essai-invente.md', text: `---\ntitle: ${title}\ndate: 2026-01-02\nauthor: ada\n---\n${body}` });
const comment = { path: 'content/comments/essai-invente/c1.md', text: '---\npost: essai-invente\nauthor: Testeur Inventé\ndate: 2026-01-03T10:00:00Z\n---\nUn commentaire *inventé*.\n' };
const sources = (...posts: { path: string; text: string }[]): ContentSources => ({
  config: null, posts, authors: [{ path: 'content/authors/ada.md', text: '---\nname: Ada Inventée\n---\nBio inventée.\n' }], categories: [], comments: [comment], skipped: [],
});

/** Validates through the persistent store, as a build does, and saves it. */
async function validateWithStore(content: ContentSources) {
  const store = await openValidationStore(dir);
  const validated = validateContent(content, store.cache);
  await store.save();
  return { validated, store };
}

describe('the persistent validation cache', () => {
  it('gives back the same records as a fresh validation, bodies included, without storing the bodies', async () => {
    const content = sources(essay('Essai inventé', 'Premier paragraphe.\n\n## Suite\n\nSecond paragraphe, avec « guillemets ».\n'));
    await validateWithStore(content);
    const { validated, store } = await validateWithStore(content);
    expect(validated).toEqual(validateContent(content));
    expect(validated.posts[0]!.body).toContain('Second paragraphe');
    expect(validated.comments[0]!.body).toBe('Un commentaire *inventé*.\n');
    const stored = store.cache.get('content/posts/essai-invente.md')!;
    expect((stored.result.record as { body: unknown }).body).toBeNull();
  });

  it('validates a changed file again', async () => {
    await validateWithStore(sources(essay('Essai inventé', 'Texte.\n')));
    const { validated } = await validateWithStore(sources(essay('Titre changé', 'Autre texte.\n')));
    expect(validated.posts[0]).toMatchObject({ title: 'Titre changé', body: 'Autre texte.\n' });
  });
});
