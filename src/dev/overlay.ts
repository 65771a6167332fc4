import { escapeHtml } from '../render/escape.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

const escape = escapeHtml;

/** The panel that lists content errors over the last good page (or, without errors, the warnings), in French. */
export function renderOverlay(diagnostics: readonly Diagnostic[]): string {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!errors.length) return renderWarnings(diagnostics);
  const items = errors.map((d) => `<li><code>${escape([d.file, d.line, d.line ? d.column : undefined].filter((p) => p !== undefined).join(':'))}</code> ${escape(d.message)} <small>[${escape(d.code)}]</small>${d.hint ? `<br><span>→ ${escape(d.hint)}</span>` : ''}</li>`);
  return `<div id="agora-erreurs" role="alert" style="position:fixed;inset:auto 0 0 0;max-height:60vh;overflow:auto;z-index:2147483647;background:#2b0b0b;color:#fff;font:15px/1.5 system-ui,sans-serif;padding:1rem 1.25rem;border-top:4px solid #ff6b6b">
<p style="margin:0 0 .5rem;font-weight:700">${errors.length} erreur${errors.length > 1 ? 's' : ''} dans le contenu : la page affichée est la dernière version correcte.</p>
<ul style="margin:0;padding-left:1.25rem">${items.join('\n')}</ul>
</div>`;
}

/** A discreet panel, closable without JavaScript tricks (a details element), listing the warnings. */
function renderWarnings(diagnostics: readonly Diagnostic[]): string {
  const items = diagnostics.map((d) => `<li><code>${escape([d.file, d.line, d.line ? d.column : undefined].filter((p) => p !== undefined).join(':'))}</code> ${escape(d.message)} <small>[${escape(d.code)}]</small></li>`);
  return `<details id="agora-avertissements" style="position:fixed;right:0;bottom:0;max-width:40rem;max-height:50vh;overflow:auto;z-index:2147483647;background:#332b00;color:#fff;font:14px/1.5 system-ui,sans-serif;padding:.5rem 1rem;border-top:3px solid #ffd43b">
<summary>${diagnostics.length} avertissement${diagnostics.length > 1 ? 's' : ''} dans le contenu</summary>
<ul style="margin:0;padding-left:1.25rem">${items.join('\n')}</ul>
</details>`;
}

/** The script that reloads the page when the dev server says its HTML changed. Never written to dist/. */
export function liveReloadScript(url: string): string {
  return `<script>(function(){var s=new EventSource('/__agora/evenements?page='+encodeURIComponent(${JSON.stringify(url)}));s.addEventListener('reload',function(){location.reload();});})();</script>`;
}

/** Adds the live-reload script, and the overlay when there are errors, to a page of the dev server. */
export function decorateDevPage(html: string, url: string, diagnostics: readonly Diagnostic[]): string {
  const overlay = diagnostics.length ? renderOverlay(diagnostics) : '';
  const addition = `${overlay}${liveReloadScript(url)}`;
  return html.includes('</body>') ? html.replace('</body>', `${addition}\n</body>`) : html + addition;
}
