import { ConfigError, ForbiddenError } from '../../core/app-error.ts';
import { createSecretBox, keyCheckProblems, type SecretBox } from '../../core/secret-box.ts';
import type { SecretKey } from '../../core/secret-key.ts';
import type { SecretKeyCheckStore } from './config-entry.ts';

/**
 * Seals and opens the secrets the stores keep (config values, channel URLs and signing
 * secrets) with hookd's secret key. Before the first seal of a process it records the
 * current key's key-check value, so a process started later with a different key of the
 * same id is refused at start (check()) instead of failing on every secret.
 */
export class Sealer {
  private readonly key: () => SecretKey | null;
  private readonly checks: SecretKeyCheckStore;
  private readonly now: () => number;
  private box: SecretBox | null = null;
  private recorded = false;

  constructor(key: () => SecretKey | null, checks: SecretKeyCheckStore, now: () => number = Date.now) {
    this.key = key;
    this.checks = checks;
    this.now = now;
  }

  /** False on PostgreSQL without HOOKD_SECRET_KEY: nothing can be sealed or opened. */
  available(): boolean {
    return this.key() !== null;
  }

  async seal(plaintext: string, aad: string): Promise<string> {
    const box = this.boxOf();
    if (!this.recorded) await this.recordKeyCheck();
    return box.encrypt(plaintext, aad);
  }

  /**
   * Records the current key's key-check value (once per process; seal() does it before its
   * first seal), after refusing a key ring that differs from the one the database's
   * secrets were sealed with. Rotation calls it even when there is nothing to re-seal.
   */
  async recordKeyCheck(): Promise<void> {
    const box = this.boxOf();
    await this.verify(box);
    await this.checks.add({ keyId: box.currentKeyId, check: box.keyCheck(box.currentKeyId) }, this.now());
    this.recorded = true;
  }

  /** Whether the database holds the current key's check: `recorded`, `missing`, or `mismatch` (another key under that id). */
  async currentKeyCheck(): Promise<'recorded' | 'missing' | 'mismatch'> {
    const box = this.boxOf();
    const stored = (await this.checks.list()).find((row) => row.keyId === box.currentKeyId);
    if (!stored) return 'missing';
    return stored.check === box.keyCheck(box.currentKeyId) ? 'recorded' : 'mismatch';
  }

  /** The plaintext; SecretUnreadableError (no plaintext in it) when it cannot be opened. */
  open(sealed: string, aad: string): string {
    return this.boxOf().decrypt(sealed, aad);
  }

  /** The id of the key a sealed value was sealed with. */
  keyIdOf(sealed: string): string | null {
    return this.boxOf().keyIdOf(sealed);
  }

  get currentKeyId(): string {
    return this.boxOf().currentKeyId;
  }

  /** The ids of the key ring, the current key first. */
  get keyIds(): readonly string[] {
    this.boxOf();
    return this.key()!.ids;
  }

  /**
   * For `hookd serve` at start: refuses a key that differs from the one the database's
   * secrets were sealed with. Without a key there is nothing to compare.
   */
  async check(): Promise<void> {
    if (!this.available()) return;
    await this.verify(this.boxOf());
  }

  private async verify(box: SecretBox): Promise<void> {
    const problems = keyCheckProblems(await this.checks.list(), box, this.key()!.ids);
    if (problems.length > 0) throw new ConfigError(problems.join('; '));
  }

  private boxOf(): SecretBox {
    if (this.box) return this.box;
    const key = this.key();
    if (!key) {
      throw new ForbiddenError(
        'secret_key_required',
        'storing or reading a secret needs HOOKD_SECRET_KEY on PostgreSQL (the same on every hookd process)',
      );
    }
    this.box = createSecretBox(key);
    return this.box;
  }
}
