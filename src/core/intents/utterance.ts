/**
 * One normal form for what the owner said, shared by every on-device intent (privacy
 * commands, conversation enders): lower case, no accents, curly quotes straightened,
 * everything but letters, apostrophes and single spaces gone.
 */
export function normaliseUtterance(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’`]/g, "'")
    .replace(/[^a-z' ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
