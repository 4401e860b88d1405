/**
 * Text safety for Teams, as src/slack/slack-text.ts is for Slack. TextBlock and FactSet render a Markdown subset, so
 * user text such as `[Open the case](https://evil.example)` would show as a disguised link in a manager's DM. A
 * zero-width space between `]` and what would make it a link (`(` inline or image, `[` reference, `:` at the start
 * of a line a definition) breaks every link form while the text reads the same; bare URLs stay visible as themselves.
 */
export const safeCardText = (text: string): string => text.replace(/\](?=[([])/g, ']\u200B').replace(/^([ \t]*\[[^\]\n]*\])(?=:)/gm, '$1\u200B');
