import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/build.js';
import { launchChromium } from '../helpers/browser.js';
import { NOW, PROJECT_ROOT, stageSite } from '../helpers/sites.js';
import { serveFolder } from '../../src/serve/static-files.js';

const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results/screenshots');
let root: string;
let site: Awaited<ReturnType<typeof serveFolder>>;
let browser: Browser;

/** The shipped content, with two essays a page (so lists paginate) and a comment endpoint (so forms show). */
beforeAll(async () => {
  root = await stageSite();
  await cp(path.join(PROJECT_ROOT, 'content'), path.join(root, 'content'), { recursive: true });
  const settings = path.join(root, 'content/site.yml');
  await writeFile(settings, (await readFile(settings, 'utf8')).replace('postsPerPage: 10', 'postsPerPage: 2') + 'comments:\n  endpoint: https://commentaires.agora.example/commentaires\n');
  const result = await build({ root, templatesDir: path.join(PROJECT_ROOT, 'templates'), publicDir: path.join(PROJECT_ROOT, 'public'), now: NOW });
  expect(result.ok).toBe(true);
  site = await serveFolder(path.join(root, 'dist'));
  browser = await launchChromium();
  await mkdir(SCREENSHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
  await rm(root, { recursive: true, force: true });
});

async function open(url: string, options: Parameters<Browser['newPage']>[0] = {}): Promise<Page> {
  const page = await browser.newPage(options);
  await page.goto(`${site.url}${url}`);
  return page;
}

describe('a reader, by clicking', () => {
  it('goes from La Une to an essay, its author, a category, and the next page of a list', async () => {
    const page = await open('/');
    await page.getByRole('link', { name: 'La victoire du point de bascule ?' }).first().click();
    await page.waitForURL('**/essais/la-victoire-du-point-de-bascule/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('La victoire du point de bascule\u202F?');
    await page.locator('.author-box').getByRole('link', { name: 'Auteur non renseigné' }).click();
    await page.waitForURL('**/auteurs/auteur-non-renseigne/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Auteur non renseigné');
    await page.getByRole('link', { name: 'Page suivante →' }).click();
    await page.waitForURL('**/auteurs/auteur-non-renseigne/page/2/');
    await page.getByRole('link', { name: 'Partage de l’information et capital social' }).click();
    await page.getByRole('link', { name: 'Catégories' }).click();
    await page.getByRole('link', { name: 'Réseaux sociaux' }).click();
    await page.waitForURL('**/categories/reseaux-sociaux/');
    await page.getByRole('link', { name: 'La Une' }).click();
    await page.getByRole('link', { name: 'Page suivante →' }).click();
    await page.waitForURL('**/page/2/');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('page 2');
    await page.close();
  });

  it('reads a nested comment thread, replies indented under what they answer', async () => {
    const page = await open('/essais/la-victoire-du-point-de-bascule/');
    expect(await page.locator('#commentaires-titre').textContent()).toBe('4\u00A0commentaires');
    const reply = page.locator('li:has(> #commentaire-1) > ol.comment-replies > li > article');
    expect(await reply.getAttribute('id')).toBe('commentaire-1-reponse');
    const parentBox = await page.locator('#commentaire-1').boundingBox();
    const replyBox = await reply.boundingBox();
    expect(replyBox!.x).toBeGreaterThan(parentBox!.x);
    await page.close();
  });

  it('opens « Répondre » and sees the form, with JavaScript disabled', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(`${site.url}/essais/la-victoire-du-point-de-bascule/`);
    const form = page.locator('#commentaire-1 form');
    expect(await form.isVisible()).toBe(false);
    await page.locator('#commentaire-1 summary').click();
    expect(await form.isVisible()).toBe(true);
    expect(await form.locator('input[name="parent"]').inputValue()).toBe('1');
    expect(await form.getAttribute('action')).toBe('https://commentaires.agora.example/commentaires');
    await page.getByLabel('Nom').first().isVisible();
    await context.close();
  });

  it('lands on the 404 page for a wrong address', async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${site.url}/essais/nexiste-pas/`);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    await page.getByRole('link', { name: 'Revenir à La Une' }).click();
    await page.waitForURL(`${site.url}/`);
    await page.close();
  });

  it('can skip to the content with the keyboard', async () => {
    const page = await open('/essais/influence-sur-le-web/');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => location.hash)).toBe('#contenu');
    await page.close();
  });
});

const AUDITED = [
  ['La Une', '/'],
  ['un essai avec commentaires', '/essais/la-victoire-du-point-de-bascule/'],
  ['une catégorie', '/categories/reseaux-sociaux/'],
  ['un auteur', '/auteurs/mathieu-janin/'],
  ['les archives', '/archives/'],
  ['la page 404', '/404.html'],
] as const;

/** Runs axe-core in the page: WCAG 2 A and AA (2.0 to 2.2) and best practices. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<{ violations: { id: string; nodes: { target: unknown }[] }[] }> } })
      .axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => `${v.id}: ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
  });
}

describe.each(['light', 'dark'] as const)('axe-core, %s color scheme', (colorScheme) => {
  it.each(AUDITED)('finds no violation on %s (WCAG 2 A/AA and best practices)', async (_, url) => {
    const page = await open(url, { colorScheme });
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

it('the axe harness does report violations (control: a page built to fail)', async () => {
  const page = await browser.newPage();
  await page.setContent('<html><body><img src="x.png"><a href="#"></a><p style="color:#777;background:#888">pâle</p></body></html>');
  const ids = (await axeViolations(page)).map((v) => v.split(':')[0]);
  expect(ids).toEqual(expect.arrayContaining(['image-alt', 'link-name', 'color-contrast', 'html-has-lang']));
  await page.close();
});

describe('screenshots for a person to look at (test-results/screenshots/)', () => {
  it.each([['une', '/'], ['essai', '/essais/la-victoire-du-point-de-bascule/']])('%s at phone and desktop widths', async (name, url) => {
    for (const [width, height, label] of [[390, 844, 'telephone'], [1280, 900, 'bureau']] as const) {
      const page = await open(url, { viewport: { width, height } });
      const file = path.join(SCREENSHOTS, `${name}-${label}.png`);
      await page.screenshot({ path: file, fullPage: true });
      expect((await readFile(file)).length).toBeGreaterThan(10_000);
      await page.close();
    }
  });
});
