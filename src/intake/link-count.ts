import { markdownOptions } from '../markdown/options.js';
import { renderAside } from '../markdown/worker-pool.js';

/**
 * Characters without which Markdown makes no link: `]` (inline links, references, images),
 * `@` (e-mail addresses), `<` (autolinks such as `<mailto:…>`), `www.` and `://` (bare URLs).
 * A comment with at most `limit` of them holds at most `limit` links, and is not rendered.
 */
const LINK_HINTS = /\]|@|<|www\.|:\/\//gi;

/** Time allowed to render a comment to count its links; past it the comment is refused as too complex. */
const COUNT_TIMEOUT_MS = 5_000;

/**
 * How many links a comment shows once rendered (`<a>` elements: inline links, references to a
 * definition, images turned into links, bare URLs and e-mail addresses, `<mailto:…>`), or null
 * when it could not be rendered in time. Counting the source with a pattern missed reference
 * definitions, e-mail addresses and autolinks (issue 21); a body that may hold more than `limit`
 * links is rendered by the site's own comment pipeline, in a worker thread, to count them.
 */
export async function countRenderedLinks(body: string, limit: number): Promise<number | null> {
  const hints = (body.match(LINK_HINTS) ?? []).length;
  if (hints <= limit) return hints;
  const [result] = await renderAside([{ kind: 'comment', file: 'commentaire', body, bodyLine: 1 }], markdownOptions('fr'), COUNT_TIMEOUT_MS);
  if (!result || result.diagnostics.some((d) => d.severity === 'error')) return null;
  return (result.html.match(/<a\s/g) ?? []).length;
}
