import { describe, expect, it } from 'vitest';
import { contentError } from '../../src/diagnostics/diagnostic.js';
import { formatDiagnostics } from '../../src/diagnostics/format.js';

describe('formatDiagnostics', () => {
  it('prints file:line:column, severity, message, code and hint, then a count', () => {
    const text = formatDiagnostics([
      contentError('content/posts/confiance.md', { line: 3, column: 7 }, 'post/bad-date', '« date » doit être au format AAAA-MM-JJ', 'Exemple : 2008-09-24'),
    ]);
    expect(text).toBe('content/posts/confiance.md:3:7  erreur  « date » doit être au format AAAA-MM-JJ  [post/bad-date]\n    → Exemple : 2008-09-24\n\n1 erreur');
  });
});
