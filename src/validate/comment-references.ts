import { contentError, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Comment, Post, StandalonePage } from '../records.js';
import { pageThreadKey } from './page.js';

/**
 * Checks what links comments together: each belongs to an existing essay, each parent is a
 * comment of the same essay, and no chain of parents loops. Returns the comments that can be
 * shown, and a diagnostic for each one that cannot.
 */
export function checkCommentReferences(comments: readonly Comment[], posts: readonly Post[], pages: readonly StandalonePage[] = []): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  // A page's thread is in content/comments/page--<path>/ (see pageThreadKey).
  const slugs = new Set([...posts.map((post) => post.slug), ...pages.map((page) => pageThreadKey(page.path))]);
  const byPost = new Map<string, Map<string, Comment>>();
  for (const comment of comments) {
    if (!slugs.has(comment.postSlug)) {
      diagnostics.push(contentError(comment.file, undefined, 'comment/unknown-post',
        `Ce commentaire appartient à l'essai « ${comment.postSlug} », qui n'existe pas.`,
        `Rangez-le dans le dossier d'un essai existant (content/comments/<slug de l'essai>/), ou créez content/posts/${comment.postSlug}.md.`));
      continue;
    }
    let thread = byPost.get(comment.postSlug);
    if (!thread) byPost.set(comment.postSlug, (thread = new Map()));
    thread.set(comment.id, comment);
  }
  for (const thread of byPost.values()) {
    for (const comment of thread.values()) {
      if (comment.parent !== null && !thread.has(comment.parent)) {
        diagnostics.push(contentError(comment.file, comment.positions.parent, 'comment/unknown-parent',
          `« parent: ${comment.parent} » ne désigne aucun commentaire de l'essai « ${comment.postSlug} ».`,
          `Utilisez le nom d'un fichier de content/comments/${comment.postSlug}/ (sans « .md »), ou retirez « parent ».`));
      }
    }
    diagnostics.push(...findCycles(thread));
  }
  return diagnostics;
}

/** Reports each loop of parents once, on its first comment by id. */
function findCycles(thread: ReadonlyMap<string, Comment>): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const reported = new Set<string>();
  for (const start of [...thread.keys()].sort()) {
    const chain: string[] = [];
    let current: string | null = start;
    while (current !== null && thread.has(current) && !chain.includes(current)) {
      chain.push(current);
      current = thread.get(current)!.parent;
    }
    if (current !== start || reported.has(start)) continue;
    chain.forEach((id) => reported.add(id));
    const comment = thread.get(start)!;
    diagnostics.push(contentError(comment.file, comment.positions.parent, 'comment/parent-cycle',
      `Les commentaires se répondent en boucle : ${[...chain, start].join(' → ')}.`,
      'Un commentaire ne peut pas répondre à l\'une de ses propres réponses : corrigez « parent » dans l\'un d\'eux.'));
  }
  return diagnostics;
}
