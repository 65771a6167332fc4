/**
 * Where comments wait for moderation, relative to the project: the one definition, light
 * enough for the command line to read without loading the comment server.
 */
export const DEFAULT_QUEUE = '.comments/en-attente';
