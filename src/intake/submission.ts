import { isHttpUrl } from '../validate/fields.js';
import { countRenderedLinks } from './link-count.js';
import { MAX_AUTHOR_LENGTH, validateComment } from '../validate/comment.js';
import { formatCommentFile, type Submission } from './comment-file.js';
import type { SiteIndex } from './site-index.js';

/** Names of the form fields, shared with templates/partials/comment-form.hbs. */
export const FORM_FIELDS = {
  post: 'post',
  parent: 'parent',
  author: 'author',
  website: 'website',
  body: 'body',
  /** Hidden from people; a bot that fills it in is answered like anyone and stored nowhere. */
  honeypot: 'email',
} as const;

/** Limits against abuse. */
export const LIMITS = { author: MAX_AUTHOR_LENGTH, body: 5000, website: 300, links: 3 } as const;

/** What to do with a submission. */
export type Verdict =
  | { kind: 'accepted'; submission: Submission; text: string }
  | { kind: 'honeypot'; postSlug: string }
  | { kind: 'refused'; status: 400 | 403 | 404; field: string | null; message: string; postSlug: string | null };

const KNOWN = new Set<string>(Object.values(FORM_FIELDS));
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Checks a submission with the same rules as the build: fields, limits, the essay and its
 * open comments, the parent, then the comment file itself through `validateComment`. The
 * number of links, which needs the comment rendered, is checked after (checkLinks).
 */
export function checkSubmission(fields: Record<string, unknown>, index: SiteIndex, id: string, date: string): Verdict {
  const refuse = (status: 400 | 403 | 404, field: string | null, message: string, postSlug: string | null = null): Verdict =>
    ({ kind: 'refused', status, field, message, postSlug });
  for (const [name, value] of Object.entries(fields)) {
    if (!KNOWN.has(name)) return refuse(400, name, `Champ inconnu « ${name} » : le formulaire n'en attend pas.`);
    if (typeof value !== 'string') return refuse(400, name, `Le champ « ${name} » doit être un texte.`);
  }
  const text = (name: string) => clean((fields[name] as string | undefined) ?? '');
  const postSlug = text(FORM_FIELDS.post).trim();
  if (text(FORM_FIELDS.honeypot).trim() !== '') return { kind: 'honeypot', postSlug };
  if (!postSlug) return refuse(400, FORM_FIELDS.post, "Le formulaire ne dit pas à quel essai répond ce commentaire.");
  const post = index.posts.get(postSlug);
  if (!post) return refuse(404, FORM_FIELDS.post, "Cet essai n'existe pas (ou plus) : le commentaire n'a pas été enregistré.");
  if (!post.commentsOpen) return refuse(403, null, 'Les commentaires de cet essai sont fermés.', postSlug);

  const author = text(FORM_FIELDS.author).trim().replace(/\s+/g, ' ');
  const body = text(FORM_FIELDS.body).replace(/\r\n?/g, '\n').trim();
  const website = text(FORM_FIELDS.website).trim();
  const parent = text(FORM_FIELDS.parent).trim();
  if (!author) return refuse(400, FORM_FIELDS.author, 'Indiquez votre nom (un pseudonyme suffit).', postSlug);
  if ([...author].length > LIMITS.author) return refuse(400, FORM_FIELDS.author, `Le nom ne doit pas dépasser ${LIMITS.author} caractères.`, postSlug);
  if (!body) return refuse(400, FORM_FIELDS.body, 'Le commentaire est vide : écrivez votre texte.', postSlug);
  if ([...body].length > LIMITS.body) return refuse(400, FORM_FIELDS.body, `Le commentaire ne doit pas dépasser ${LIMITS.body} caractères : raccourcissez-le.`, postSlug);
  if (website && (website.length > LIMITS.website || !isHttpUrl(website))) {
    return refuse(400, FORM_FIELDS.website, "L'adresse du site doit être complète et commencer par http:// ou https:// (ou laissez le champ vide).", postSlug);
  }
  if (parent && !index.comments.get(postSlug)?.has(parent)) {
    return refuse(400, FORM_FIELDS.parent, "Le commentaire auquel vous répondez n'existe pas (ou plus) sous cet essai.", postSlug);
  }

  const submission: Submission = { postSlug, parent: parent || null, author, website: website || null, body };
  const fileText = formatCommentFile(submission, date);
  const { record, diagnostics } = validateComment({ path: `content/comments/${postSlug}/${id}.md`, text: fileText });
  if (!record || diagnostics.some((d) => d.severity === 'error')) {
    return refuse(400, null, diagnostics[0]?.message ?? "Le commentaire n'a pas pu être lu.", postSlug);
  }
  return { kind: 'accepted', submission, text: fileText };
}

function clean(value: string): string {
  return value.replace(CONTROL, '');
}

/** Refuses an accepted submission whose rendered comment holds more than LIMITS.links links (or that cannot be rendered in time). */
export async function checkLinks(verdict: Extract<Verdict, { kind: 'accepted' }>): Promise<Verdict> {
  const links = await countRenderedLinks(verdict.submission.body, LIMITS.links);
  if (links !== null && links <= LIMITS.links) return verdict;
  const message = links === null
    ? 'Ce commentaire est trop complexe pour être affiché (crochets ou listes par milliers) : simplifiez-le.'
    : `Pas plus de ${LIMITS.links} liens par commentaire (adresses web et e-mail comprises) : retirez-en quelques-uns.`;
  return { kind: 'refused', status: 400, field: FORM_FIELDS.body, message, postSlug: verdict.submission.postSlug };
}
