import { createEssayProcessor, renderMarkdown } from './lib/markdown/processor.js';
const p = createEssayProcessor();
const body = `Comment générer du capital social ? En diffusant; voici : « wirearchy » et «hierarchy». Le billet de  Julien!

:::en
> “a dynamic flow of power: based on trust ?”
:::

Voir :en[Trust Agents] et \`code ; ici ?\` puis https://exemple.org/?a=1 ; fin. Heure 10:42. Note:Important !

<script>alert(1)</script>

# Titre

![](x.png)

:::note
bla
:::
`;
const r = renderMarkdown(p, {file: 'content/posts/x.md', body, bodyLine: 6});
console.log(r.html.replace(/\u202F/g,'⍽').replace(/\u00A0/g,'⎵'));
console.log(r.firstParagraph.replace(/\u202F/g,'⍽').replace(/\u00A0/g,'⎵'), r.words);
console.log(r.diagnostics);
