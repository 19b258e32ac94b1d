/** HTML text helpers: escaping only; the report builds markup with template strings. */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Typographic minus for display (files keep ASCII '-', which spreadsheets parse). */
export function displayMinus(s: string): string {
  return s.replace(/(^|[\s(=])-(?=[\d.∞])/g, '$1−');
}

/** A slug usable as an element id. */
export function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'x'
  );
}
