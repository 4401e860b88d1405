/**
 * A very small HTML template: `html` escapes every interpolated value unless it is already `SafeHtml` (built by
 * `html` itself, or `raw` for markup we produced, such as a server-rendered SVG). Arrays are joined.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (ch) => ESCAPES[ch] as string);

type Value = SafeHtml | string | number | boolean | null | undefined | Value[];

const render = (value: Value): string => {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (value instanceof SafeHtml) return value.value;
  return escapeHtml(String(value));
};

export const html = (strings: TemplateStringsArray, ...values: Value[]): SafeHtml =>
  new SafeHtml(strings.reduce((out, part, index) => out + part + (index < values.length ? render(values[index] as Value) : ''), ''));

/** Markup produced by our own code (never user input). */
export const raw = (markup: string) => new SafeHtml(markup);

const STYLE = `
:root{color-scheme:light;--ink:#1b1b1b;--muted:#4a4a4a;--line:#b1b4b6;--accent:#1d4f91;--bad:#a4161a;--good:#00703c;--bg:#fff;--soft:#f3f2f1}
*{box-sizing:border-box}body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--accent)}a:hover{text-decoration-thickness:3px}
:focus-visible{outline:3px solid #fd0;outline-offset:0;box-shadow:0 0 0 6px var(--ink)}
.skip{position:absolute;left:-9999px;top:0;background:#fd0;color:var(--ink);padding:.5rem 1rem;z-index:2}.skip:focus{left:0}
header.site{background:var(--accent);color:#fff;padding:.5rem 1rem;display:flex;flex-wrap:wrap;gap:1rem;align-items:center;justify-content:space-between}
header.site a{color:#fff}header.site nav ul{list-style:none;display:flex;gap:1rem;margin:0;padding:0}
main{max-width:72rem;margin:0 auto;padding:1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:var(--soft)}td:first-child{white-space:nowrap}
.overdue{color:var(--bad);font-weight:600}.notice{border-left:6px solid var(--good);padding:.5rem 1rem;background:var(--soft)}
.error{border-left:6px solid var(--bad);padding:.5rem 1rem;background:var(--soft)}
.field-error{color:var(--bad);font-weight:600;display:block}
.chart{display:flex;flex-wrap:wrap;gap:1rem;align-items:flex-start}.chart figure{margin:0}
button,.button{font:inherit;padding:.4rem 1rem;border:2px solid var(--accent);background:var(--accent);color:#fff;border-radius:3px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary{background:#fff;color:var(--accent)}
label{display:block;font-weight:600;margin-top:.5rem}textarea,select,input[type=date]{font:inherit;padding:.3rem;border:2px solid var(--ink);max-width:100%}
textarea{width:40rem;min-height:5rem}form.inline{display:inline}fieldset{border:1px solid var(--line);margin:.5rem 0 1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}dl.facts dt{font-weight:600}dl.facts dd{margin:0}
.visually-hidden{position:absolute!important;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;

export interface Layout {
  title: string;
  /** Signed-in person's name and the sign-out form's CSRF token; null on the sign-in page. */
  user: { name: string; csrf: string } | null;
  body: SafeHtml;
}

/** Every page: lang, a skip link, banner / navigation / main landmarks, one h1 per page (in the body). */
export const page = (layout: Layout): string =>
  `<!doctype html>${
    html`<html lang="en-GB"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${layout.title} · DutyDesk board</title><style>${raw(STYLE)}</style></head>
<body><a class="skip" href="#main">Skip to main content</a>
<header class="site"><a href="/board"><strong>DutyDesk board</strong></a>${
      layout.user
        ? html`<nav aria-label="Board"><ul><li><a href="/board">My units</a></li><li><a href="/board/reports">Reports</a></li></ul></nav>
<form class="inline" method="post" action="/board/sign-out"><input type="hidden" name="csrf" value="${layout.user.csrf}"><span>${layout.user.name}</span> <button class="secondary" type="submit">Sign out</button></form>`
        : ''
    }</header>
<main id="main" tabindex="-1">${layout.body}</main></body></html>`.value
  }`;
