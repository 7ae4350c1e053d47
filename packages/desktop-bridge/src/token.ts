import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** WebSocket subprotocol of version 1 of the stream; the server selects it when the client offers it. */
export const STREAM_SUBPROTOCOL = 'deskvm.v1';

/** Prefix of the subprotocol that carries the token, so browsers can send it without putting it in the URL. */
export const TOKEN_SUBPROTOCOL_PREFIX = 'deskvm.token.';

/**
 * Creates a session token: 32 random bytes in base64url (43 characters), which are valid subprotocol characters.
 */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Compares a presented token with the expected one in constant time. Both are hashed first, so neither the content
 * nor the length of the expected token leaks through timing.
 */
export function tokenMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) {
    return false;
  }

  const expectedDigest = createHash('sha256').update(expected).digest();
  const presentedDigest = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expectedDigest, presentedDigest);
}

/**
 * Reads the token a client presented: the `deskvm.token.<token>` subprotocol (browsers) or an
 * `Authorization: Bearer <token>` header (other clients). Returns undefined when there is none.
 */
export function presentedToken(request: IncomingMessage): string | undefined {
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((item) => item.trim());
  const fromProtocol = offered.find((item) => item.startsWith(TOKEN_SUBPROTOCOL_PREFIX));
  if (fromProtocol !== undefined) {
    return fromProtocol.slice(TOKEN_SUBPROTOCOL_PREFIX.length);
  }

  // The scheme name is case-insensitive (RFC 7235, section 2.1).
  const bearer = /^bearer +(\S+) *$/i.exec(request.headers.authorization ?? '');
  return bearer?.[1];
}

/** Characters allowed in a token: those of an RFC 7230 token, so browsers can send it as a WebSocket subprotocol. */
const TOKEN_CHARACTER = /^[A-Za-z0-9!#$%&'*+.^_`|~-]$/;

const ALLOWED_CHARACTERS = "letters, digits or !#$%&'*+.^_`|~-";

/**
 * Returns why `token` cannot be a session token, or undefined when it can: 16 to 512 characters, each a letter, a
 * digit or one of !#$%&'*+.^_`|~-. The message names the length or the position and kind of the first bad
 * character, and never repeats the token or any of its characters.
 */
export function tokenProblem(token: string): string | undefined {
  const characters = [...token];
  const badIndex = characters.findIndex((character) => !TOKEN_CHARACTER.test(character));
  const badCharacter = characters[badIndex];

  if (badCharacter !== undefined) {
    return (
      `The token is invalid: character ${badIndex + 1} is ${describeCharacterKind(badCharacter)}. ` +
      `Use 16 to 512 ${ALLOWED_CHARACTERS}, so it can travel as a WebSocket subprotocol.`
    );
  }

  if (characters.length < 16 || characters.length > 512) {
    return (
      `The token is invalid: it has ${characters.length} characters. ` +
      `Use 16 to 512 ${ALLOWED_CHARACTERS}, so it can travel as a WebSocket subprotocol.`
    );
  }

  return undefined;
}

/** Names the kind of a character a token may not contain, without naming the character itself. */
function describeCharacterKind(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;

  if (character === ' ') {
    return 'a space';
  }

  if (codePoint < 0x20 || codePoint === 0x7f) {
    return 'a control character, such as a line break or a tab';
  }

  if (codePoint > 0x7f) {
    return 'a non-ASCII character';
  }

  return 'a punctuation mark outside the allowed set, such as / or = of standard base64';
}
