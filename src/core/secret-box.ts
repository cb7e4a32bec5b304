// Stored secrets (webhook URLs, signing secrets, configuration values) encrypted at rest
// with AES-256-GCM under a key derived from hookd's secret key (see secret-key.ts).
//
// A sealed value is `hks1:<keyId>:<iv>:<ciphertext and tag>` (base64url): the key id says
// which key of the ring sealed it, so a rotated ring still opens what older keys sealed.
// The caller's `aad` (e.g. `channel:ops-slack:url`) is bound to the ciphertext, so a value
// copied into another record does not decrypt there.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { AppError } from './app-error.ts';
import { KEY_ID_PATTERN, type SecretKey } from './secret-key.ts';

const FORMAT = 'hks1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENCRYPTION_PURPOSE = 'stored secrets';
const KEY_CHECK_PURPOSE = 'key check';
const KEY_CHECK_INPUT = 'hookd key check v1';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

export interface SecretBox {
  /** The id of the key that encrypts: the first of the ring. */
  readonly currentKeyId: string;
  /** `plaintext` sealed under the current key, bound to `aad`. */
  encrypt(plaintext: string, aad: string): string;
  /** The plaintext of `sealed`, opened with the key it names; a SecretUnreadableError when it cannot be. */
  decrypt(sealed: string, aad: string): string;
  /** The key id `sealed` names, or null when it is not a sealed value. */
  keyIdOf(sealed: string): string | null;
  /** A value that tells the key `keyId` from any other, without revealing it: stored so a process with another key can say so. */
  keyCheck(keyId: string): string;
}

export type SecretUnreadableReason = 'malformed' | 'unknown_key' | 'authentication';

/**
 * A stored secret that cannot be read. The message never holds the plaintext, the
 * ciphertext or key material; the caller adds which record it was.
 */
export class SecretUnreadableError extends AppError {
  readonly reason: SecretUnreadableReason;
  /** The key id the value names, when it could be read. */
  readonly keyId: string | null;
  constructor(message: string, reason: SecretUnreadableReason = 'malformed', keyId: string | null = null) {
    super('secret_unreadable', message, 500);
    this.reason = reason;
    this.keyId = keyId;
  }
}

interface Sealed {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

function parse(sealed: string): Sealed | null {
  const parts = sealed.split(':');
  if (parts.length !== 4) return null;
  const [format, keyId, iv, body] = parts as [string, string, string, string];
  if (format !== FORMAT || !KEY_ID_PATTERN.test(keyId) || !BASE64URL.test(iv) || !BASE64URL.test(body)) return null;
  const ivBytes = Buffer.from(iv, 'base64url');
  const bodyBytes = Buffer.from(body, 'base64url');
  // Only the canonical encoding: one sealed value has one spelling.
  if (ivBytes.length !== IV_BYTES || ivBytes.toString('base64url') !== iv) return null;
  if (bodyBytes.length < TAG_BYTES || bodyBytes.toString('base64url') !== body) return null;
  return {
    keyId,
    iv: ivBytes,
    ciphertext: bodyBytes.subarray(0, bodyBytes.length - TAG_BYTES),
    tag: bodyBytes.subarray(bodyBytes.length - TAG_BYTES),
  };
}

export function createSecretBox(key: SecretKey): SecretBox {
  const currentKeyId = key.ids[0]!;
  const where = key.origin === 'environment' ? 'HOOKD_SECRET_KEY' : 'the secret key file ($HOOKD_HOME/secret.key)';
  return {
    currentKeyId,
    encrypt(plaintext, aad) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key.deriveFor(currentKeyId, ENCRYPTION_PURPOSE), iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(aad, 'utf8'));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
      return `${FORMAT}:${currentKeyId}:${iv.toString('base64url')}:${ciphertext.toString('base64url')}`;
    },
    decrypt(sealed, aad) {
      const value = parse(sealed);
      if (!value) {
        throw new SecretUnreadableError(`stored secret is not an encrypted value (${FORMAT}:<key id>:<iv>:<ciphertext>)`, 'malformed');
      }
      if (!key.ids.includes(value.keyId)) {
        throw new SecretUnreadableError(
          `stored secret was encrypted with key '${value.keyId}', which is not in ${where}: add that key to the key ring`,
          'unknown_key',
          value.keyId,
        );
      }
      const decipher = createDecipheriv(ALGORITHM, key.deriveFor(value.keyId, ENCRYPTION_PURPOSE), value.iv, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(aad, 'utf8'));
      decipher.setAuthTag(value.tag);
      try {
        return Buffer.concat([decipher.update(value.ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretUnreadableError(
          `stored secret could not be decrypted with key '${value.keyId}' (a different key, or the value was altered)`,
          'authentication',
          value.keyId,
        );
      }
    },
    keyIdOf(sealed) {
      return parse(sealed)?.keyId ?? null;
    },
    keyCheck(keyId) {
      return createHmac('sha256', key.deriveFor(keyId, KEY_CHECK_PURPOSE)).update(KEY_CHECK_INPUT).digest('hex').slice(0, 32);
    },
  };
}

/**
 * One message per stored key-check value of a key in `ids` that this box's key of that id
 * does not reproduce: the process holds another key under the same id, and would not read
 * what it encrypted. Ids not in `ids` are the caller's to judge (does data still use them?).
 */
export function keyCheckProblems(stored: readonly { keyId: string; check: string }[], box: SecretBox, ids: readonly string[]): string[] {
  const problems: string[] = [];
  for (const row of stored) {
    if (!ids.includes(row.keyId)) continue;
    if (box.keyCheck(row.keyId) !== row.check) {
      problems.push(
        `secret key '${row.keyId}' is not the key this database's secrets were encrypted with (its key-check value differs): ` +
          'start hookd with the HOOKD_SECRET_KEY the database was written with',
      );
    }
  }
  return problems;
}
