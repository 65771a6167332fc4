import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../load/paths.js';
import { UsageError } from '../diagnostics/usage-error.js';

/** Environment variables that give the moderation secret, or the file that holds it. */
export const SECRET_ENV = 'AGORA_MODERATION_SECRET';
export const SECRET_FILE_ENV = 'AGORA_MODERATION_SECRET_FILE';

/** The smallest secret accepted: shorter ones are guessed through any rate limit. */
export const MIN_SECRET_LENGTH = 16;

/**
 * The moderator's secret, or null when none is configured (the moderation pages are then off):
 * from `--secret-file` or AGORA_MODERATION_SECRET_FILE (a file outside the project, which is
 * published with its repository), else AGORA_MODERATION_SECRET. Never read from site.yml.
 */
export async function readModerationSecret(root: string, secretFile: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const file = secretFile ?? env[SECRET_FILE_ENV];
  let secret: string | undefined;
  if (file) {
    const resolved = path.resolve(file);
    const real = await realpath(resolved).catch(() => {
      throw new UsageError(`Fichier du secret de modération introuvable : ${resolved}.`);
    });
    const project = await realpath(root).catch(() => path.resolve(root));
    if (real === project || isInside(project, real)) {
      throw new UsageError(`Le secret de modération ne doit pas être dans le projet (${path.relative(project, real)}), qui est publié avec son dépôt : placez le fichier ailleurs, par exemple /etc/agora/secret-moderation.`);
    }
    const shown = path.relative(process.cwd(), real) || real;
    try {
      secret = (await readFile(real, 'utf8')).trim();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new UsageError(code === 'EISDIR'
        ? `Le fichier du secret de modération ${shown} est un dossier : donnez le fichier qui contient le secret.`
        : `Fichier du secret de modération illisible : ${shown} (${code ?? (error as Error).message}).`);
    }
    // A file given on purpose that holds nothing is a mistake, not « moderation off » (issue 21).
    if (!secret) throw new UsageError(`Le fichier du secret de modération ${shown} est vide : écrivez-y le secret (par exemple : openssl rand -base64 24 > ${shown}).`);
  } else {
    secret = env[SECRET_ENV]?.trim();
  }
  if (!secret) return null;
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new UsageError(`Le secret de modération est trop court : au moins ${MIN_SECRET_LENGTH} caractères (par exemple : openssl rand -base64 24).`);
  }
  return secret;
}
