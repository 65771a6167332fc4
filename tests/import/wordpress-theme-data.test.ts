import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agora } from '../helpers/cli.js';
import { allText, EXPORTS, newCollection, privateAddresses } from '../helpers/import.js';

const THEME_DATA = path.join(EXPORTS, 'themeunittestdata.wordpress.xml');

describe('agora import wordpress, the Theme Unit Test data of WordPress', () => {
  let work: string;
  let root: string;
  let report: { code: number; stdout: string; stderr: string };
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'agora-import-tutd-'));
    root = await newCollection(work);
    report = await agora(['--root', root, 'import', 'wordpress', THEME_DATA]);
  });
  afterAll(async () => { await rm(work, { recursive: true, force: true }); });

  it('builds and passes agora check, every old address leading to its page', async () => {
    expect(report.code).toBe(0);
    expect(report.stdout).toContain('57 essais (1 brouillon, 1 programmé), 21 pages');
    const built = await agora(['--root', root, 'build']);
    expect(built.code).toBe(0);
    const check = await agora(['--root', root, 'check']);
    expect(check.stdout + check.stderr).toContain('Site vérifié');
    expect(check.code).toBe(0);
    const content = await allText(path.join(root, 'content'), 'utf8');
    let aliases = 0;
    for (const [file, text] of content) {
      if (!/^(posts|pages)\/.*\.md$/.test(file)) continue;
      const header = text.split('\n---\n')[0]!;
      const target = file.startsWith('posts/') ? `/essais/${path.basename(file, '.md')}/` : `/${file.slice('pages/'.length, -'.md'.length)}/`;
      // A draft or a scheduled essay is not on the site yet, and neither are its old addresses.
      const published = await readFile(path.join(root, 'dist', target, 'index.html')).then(() => true, () => false);
      for (const alias of header.matchAll(/^ {2}- (\/.*)$/gm)) {
        const redirect = await readFile(path.join(root, 'dist', decodeURI(alias[1]!).replace(/^"|"$/g, ''), 'index.html'), 'utf8').catch(() => null);
        if (!published) {
          expect(redirect, alias[1]).toBeNull();
          continue;
        }
        expect(redirect, `${alias[1]} → ${target}`).toContain(`url=${target}`);
        aliases += 1;
      }
    }
    expect(aliases).toBeGreaterThan(50);
  });

  it('shows every approved comment of an essay or a page in its thread, nothing unapproved, no e-mail and no IP', async () => {
    const xml = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'item' || name === 'wp:comment' }).parse(await readFile(THEME_DATA, 'utf8'));
    const items = xml.rss.channel.item as { 'wp:post_type': string; 'wp:status': string; 'wp:post_password'?: string; 'wp:comment'?: { 'wp:comment_id': number; 'wp:comment_approved': string | number; 'wp:comment_type'?: string }[] }[];
    const html = [...(await allText(path.join(root, 'dist'))).values()].join('\n');
    let shown = 0;
    for (const item of items) {
      const essay = item['wp:post_type'] === 'post' && !item['wp:post_password'] && ['publish', 'future', 'draft'].includes(item['wp:status']);
      for (const comment of item['wp:comment'] ?? []) {
        const anchor = `id="commentaire-wp-${comment['wp:comment_id']}"`;
        const approved = String(comment['wp:comment_approved']) === '1' && !['pingback', 'trackback'].includes(comment['wp:comment_type'] ?? '');
        // Drafts and scheduled essays are not on the built site: their threads wait with them. Pages keep theirs.
        const page = item['wp:post_type'] === 'page' && !item['wp:post_password'] && item['wp:status'] === 'publish';
        const published = (essay && item['wp:status'] === 'publish') || page;
        expect(html.includes(anchor), anchor).toBe(approved && published);
        if (approved && published) shown += 1;
      }
    }
    expect(shown).toBeGreaterThan(15);
    const addresses = await privateAddresses(THEME_DATA);
    expect(addresses.length).toBeGreaterThan(3);
    for (const [file, text] of await allText(root)) for (const address of addresses) expect(text.includes(address), `${address} in ${file}`).toBe(false);
  });
});
