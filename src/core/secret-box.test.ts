import { createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './app-error.ts';
import { createSecretBox, keyCheckProblems, type SecretBox, SecretUnreadableError } from './secret-box.ts';
import { loadSecretKey, type SecretKey } from './secret-key.ts';

const keyOf = (secretKey: string): SecretKey => loadSecretKey({ storage: 'postgres', home: '/nonexistent', secretKey })!;
const boxOf = (secretKey: string): SecretBox => createSecretBox(keyOf(secretKey));
const b64 = () => randomBytes(32).toString('base64');

const AAD = 'channel:ops-slack:url';
const PLAIN = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX';

/** The SecretUnreadableError `fn` throws. */
const unreadable = (fn: () => unknown): SecretUnreadableError => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretUnreadableError);
    return error as SecretUnreadableError;
  }
  throw new Error('expected a SecretUnreadableError');
};

/** `sealed` with one byte of part `index` (2: iv, 3: ciphertext and tag) flipped at `at` (from the end when negative). */
const flip = (sealed: string, index: number, at: number): string => {
  const parts = sealed.split(':');
  const bytes = Buffer.from(parts[index]!, 'base64url');
  const i = at < 0 ? bytes.length + at : at;
  bytes[i]! ^= 0x01;
  parts[index] = bytes.toString('base64url');
  return parts.join(':');
};

describe('the secret box', () => {
  it('seals as hks1:<key id>:<iv>:<ciphertext+tag> and opens it again, a new IV every time', () => {
    const box = boxOf(b64());
    for (const plaintext of [PLAIN, '', 'ünïcödé 🔑 and a "quote"', 'x'.repeat(100_000)]) {
      const sealed = box.encrypt(plaintext, AAD);
      expect(sealed).toMatch(/^hks1:default:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]+$/);
      expect(Buffer.from(sealed.split(':')[3]!, 'base64url')).toHaveLength(Buffer.byteLength(plaintext) + 16);
      expect(box.decrypt(sealed, AAD)).toBe(plaintext);
    }
    const a = box.encrypt(PLAIN, AAD);
    const b = box.encrypt(PLAIN, AAD);
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(a).not.toContain(PLAIN);
  });

  it('is AES-256-GCM under HKDF-SHA256(key, "hookd stored secrets"), the AAD being the UTF-8 of aad', () => {
    const material = randomBytes(32);
    const box = boxOf(`k1:${material.toString('base64')}`);
    const sealed = box.encrypt(PLAIN, AAD);
    const [, keyId, iv, body] = sealed.split(':') as [string, string, string, string];
    expect(keyId).toBe('k1');
    const bytes = Buffer.from(body, 'base64url');
    const key = Buffer.from(hkdfSync('sha256', material, Buffer.alloc(0), 'hookd stored secrets', 32));
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(AAD, 'utf8'));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    expect(Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString('utf8')).toBe(PLAIN);
  });

  it('refuses a value under another AAD: copied to another record it does not decrypt', () => {
    const box = boxOf(b64());
    const sealed = box.encrypt(PLAIN, AAD);
    for (const other of ['channel:ops-slack:secret', 'channel:other:url', '', `${AAD} `]) {
      const error = unreadable(() => box.decrypt(sealed, other));
      expect(error.code).toBe('secret_unreadable');
      expect(error.statusCode).toBe(500);
      expect(error.reason).toBe('authentication');
      expect(error.message).toContain("could not be decrypted with key 'default' (a different key, or the value was altered)");
    }
  });

  it('refuses an altered IV, ciphertext or tag', () => {
    const box = boxOf(b64());
    const sealed = box.encrypt(PLAIN, AAD);
    for (const altered of [
      flip(sealed, 2, 0),
      flip(sealed, 2, -1),
      flip(sealed, 3, 0),
      flip(sealed, 3, 10),
      flip(sealed, 3, -1),
      flip(sealed, 3, -16),
    ]) {
      expect(altered).not.toBe(sealed);
      expect(unreadable(() => box.decrypt(altered, AAD)).reason).toBe('authentication');
    }
    // Cut short: a tag missing its last bytes is another tag.
    const parts = sealed.split(':');
    const cut = [...parts.slice(0, 3), Buffer.from(parts[3]!, 'base64url').subarray(0, -1).toString('base64url')].join(':');
    expect(unreadable(() => box.decrypt(cut, AAD)).reason).toBe('authentication');
  });

  it('refuses a value sealed under another key of the same id, naming the id', () => {
    const sealed = boxOf(`k1:${b64()}`).encrypt(PLAIN, AAD);
    const error = unreadable(() => boxOf(`k1:${b64()}`).decrypt(sealed, AAD));
    expect(error.reason).toBe('authentication');
    expect(error.keyId).toBe('k1');
    expect(error.message).toContain("could not be decrypted with key 'k1'");
    // Two plain keys are both 'default'.
    expect(unreadable(() => boxOf(b64()).decrypt(boxOf(b64()).encrypt(PLAIN, AAD), AAD)).reason).toBe('authentication');
  });

  it('a ring k2,k1 encrypts with k2 and decrypts what k1 sealed', () => {
    const k1 = b64();
    const k2 = b64();
    const old = boxOf(`k1:${k1}`);
    const before = old.encrypt(PLAIN, AAD);
    const ring = boxOf(`k2:${k2},k1:${k1}`);
    expect(ring.currentKeyId).toBe('k2');
    expect(ring.decrypt(before, AAD)).toBe(PLAIN);
    const after = ring.encrypt(PLAIN, AAD);
    expect(ring.keyIdOf(after)).toBe('k2');
    expect(ring.keyIdOf(before)).toBe('k1');
    expect(ring.decrypt(after, AAD)).toBe(PLAIN);
    // Once k1 is dropped, what k2 sealed still opens; what k1 sealed is refused by id.
    const dropped = boxOf(`k2:${k2}`);
    expect(dropped.decrypt(after, AAD)).toBe(PLAIN);
    expect(unreadable(() => dropped.decrypt(before, AAD)).reason).toBe('unknown_key');
  });

  it("opens what a single key sealed once that key is kept in a ring as 'default:' and the base64 of its text", () => {
    const plain = `a passphrase-like key, ${randomBytes(16).toString('hex')}`;
    const before = boxOf(plain).encrypt(PLAIN, AAD);
    const ring = boxOf(`k1:${b64()},default:${Buffer.from(plain, 'utf8').toString('base64')}`);
    expect(ring.decrypt(before, AAD)).toBe(PLAIN);
    expect(ring.keyCheck('default')).toBe(boxOf(plain).keyCheck('default'));
  });

  it('refuses a value whose key is not held, naming the id and where the keys come from', () => {
    const sealed = boxOf(`gone:${b64()}`).encrypt(PLAIN, AAD);
    const error = unreadable(() => boxOf(`k2:${b64()},k1:${b64()}`).decrypt(sealed, AAD));
    expect(error.reason).toBe('unknown_key');
    expect(error.keyId).toBe('gone');
    expect(error.message).toContain("key 'gone'");
    expect(error.message).toContain('not in HOOKD_SECRET_KEY');
    const fromFile = createSecretBox({ ...keyOf(`k1:${b64()}`), origin: 'file' });
    expect(unreadable(() => fromFile.decrypt(sealed, AAD)).message).toContain('not in the secret key file');
  });

  it('refuses malformed values, and keyIdOf answers null for them', () => {
    const box = boxOf(b64());
    const good = box.encrypt(PLAIN, AAD);
    const [, , iv, body] = good.split(':') as [string, string, string, string];
    const bad = [
      '',
      PLAIN,
      'plain text',
      `hks2:default:${iv}:${body}`,
      `hks1:default:${iv}`,
      `hks1:default:${iv}:${body}:extra`,
      `hks1:bad.id:${iv}:${body}`,
      `hks1::${iv}:${body}`,
      `hks1:default:${iv}AA:${body}`,
      `hks1:default:${iv}:${body.slice(0, 20)}`,
      `hks1:default:${iv}:${body}=`,
      `hks1:default:${iv.replace(/.$/, '+')}:${body}`,
      `hks1:default::${body}`,
    ];
    for (const value of bad) {
      const error = unreadable(() => box.decrypt(value, AAD));
      expect(error.reason, value).toBe('malformed');
      expect(error.message).not.toContain(body);
      expect(box.keyIdOf(value), value).toBeNull();
    }
    expect(box.keyIdOf(good)).toBe('default');
  });

  it('says nothing of the plaintext, the ciphertext or the key in its errors', () => {
    const key = b64();
    const box = boxOf(`k1:${key}`);
    const sealed = box.encrypt(PLAIN, AAD);
    const errors = [
      unreadable(() => box.decrypt(sealed, 'other')),
      unreadable(() => box.decrypt(flip(sealed, 3, 0), AAD)),
      unreadable(() => boxOf(`k9:${b64()}`).decrypt(sealed, AAD)),
      unreadable(() => box.decrypt(sealed.slice(0, -3), AAD)),
    ];
    for (const error of errors) {
      const text = `${error.message} ${JSON.stringify(error)}`;
      for (const secret of [PLAIN, sealed, sealed.split(':')[3]!, sealed.split(':')[2]!, key]) expect(text).not.toContain(secret);
    }
  });

  it('key checks are 32 hex characters, stable for a key, and differ across keys and ids', () => {
    const k1 = b64();
    const k2 = b64();
    const ring = boxOf(`k2:${k2},k1:${k1}`);
    const check = ring.keyCheck('k1');
    expect(check).toMatch(/^[0-9a-f]{32}$/);
    expect(ring.keyCheck('k1')).toBe(check);
    expect(boxOf(`k1:${k1}`).keyCheck('k1')).toBe(check);
    expect(boxOf(`k1:${b64()}`).keyCheck('k1')).not.toBe(check);
    expect(ring.keyCheck('k2')).not.toBe(check);
    // HMAC-SHA256("hookd key check v1") under HKDF-SHA256(key, "hookd key check"), hex, first 32.
    const derived = Buffer.from(hkdfSync('sha256', Buffer.from(k1, 'base64'), Buffer.alloc(0), 'hookd key check', 32));
    expect(check).toBe(createHmac('sha256', derived).update('hookd key check v1').digest('hex').slice(0, 32));
    // It is not the encryption key's, nor any part of the key.
    expect(k1).not.toContain(check);
    expect(() => ring.keyCheck('k3')).toThrow(ConfigError);
  });

  it('keyCheckProblems reports only the known ids whose check differs', () => {
    const k1 = b64();
    const k2 = b64();
    const written = boxOf(`k2:${k2},k1:${k1}`);
    const stored = [
      { keyId: 'k2', check: written.keyCheck('k2') },
      { keyId: 'k1', check: written.keyCheck('k1') },
      { keyId: 'k0', check: '0'.repeat(32) },
    ];
    expect(keyCheckProblems(stored, written, ['k2', 'k1'])).toEqual([]);
    expect(keyCheckProblems([], written, ['k2', 'k1'])).toEqual([]);

    // The same ids, k1 another key: k1 alone is reported; k0 (not in the ring) is the caller's to judge.
    const wrong = boxOf(`k2:${k2},k1:${b64()}`);
    const problems = keyCheckProblems(stored, wrong, ['k2', 'k1']);
    expect(problems).toEqual([
      "secret key 'k1' is not the key this database's secrets were encrypted with (its key-check value differs): start hookd with the HOOKD_SECRET_KEY the database was written with",
    ]);
    // Only the ids asked about are checked.
    expect(keyCheckProblems(stored, wrong, ['k2'])).toEqual([]);
    // A plain key that is not the one written.
    expect(keyCheckProblems([{ keyId: 'default', check: boxOf(b64()).keyCheck('default') }], boxOf(b64()), ['default'])).toHaveLength(1);
  });
});
