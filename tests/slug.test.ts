import { describe, expect, it } from 'vitest';
import { isSlug, toSlug } from '../src/graph/slug.js';

describe('toSlug', () => {
  it.each([
    ['Réseaux sociaux', 'reseaux-sociaux'],
    ['Cœur de l’œuvre', 'coeur-de-loeuvre'],
    ["L'acte social", 'lacte-social'],
    ['Pensée socialnomique', 'pensee-socialnomique'],
    ['  À bientôt !  ', 'a-bientot'],
    ['Œuvres & « citations »', 'oeuvres-et-citations'],
  ])('%s → %s', (name, slug) => {
    expect(toSlug(name)).toBe(slug);
    expect(isSlug(slug)).toBe(true);
  });
});
