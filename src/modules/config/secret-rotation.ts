import { SILENT_LOG, writeAudit, type ServiceLog } from '../../core/audit-log.ts';
import type { Principal } from '../../core/principal.ts';
import { SecretUnreadableError, type SecretUnreadableReason } from '../../core/secret-box.ts';
import type { Sealer } from './sealer.ts';

/** One sealed value of a record, with the additional data it is bound to (`channel:ops-slack:url`). */
export interface SealedValue {
  /** The record: a config key, a channel id. */
  id: string;
  /** The column that holds it: `value`, `url_sealed`, `secret_sealed`. */
  field: string;
  aad: string;
  sealed: string;
}

/**
 * What keeps sealed values: the config store, channels. A module above config hands its
 * own holder to the runtime, so config never imports it.
 */
export interface SealedHolder {
  /** Names the records in reports: `config`, `channels`. */
  readonly name: string;
  /** Every sealed value it keeps. */
  list(): Promise<SealedValue[]>;
  /** Writes `newSealed` only while the value still is `oldSealed`: false when it changed (or went) since it was read. */
  replace(id: string, field: string, oldSealed: string, newSealed: string): Promise<boolean>;
}

/** A value by its record, never by its content. */
export interface SealedRecord {
  holder: string;
  id: string;
  field: string;
}

export interface UnreadableRecord extends SealedRecord {
  /** The key id the value names; null when it is not a sealed value at all. */
  key_id: string | null;
  reason: SecretUnreadableReason;
  /** Why, without the value, its ciphertext or a key. */
  message: string;
}

export interface KeyUse {
  key_id: string;
  /** Stored values this key sealed. */
  values: number;
  /** False: the values cannot be read until the key is added to HOOKD_SECRET_KEY. */
  in_key_ring: boolean;
}

export interface SecretStatus {
  current_key_id: string;
  /** The ids of HOOKD_SECRET_KEY's ring, the current key first. */
  key_ring: string[];
  /** Which key ids seal how many stored values, by key id. */
  sealed_by: KeyUse[];
  /** Stored secrets that are not sealed values at all (altered). */
  malformed: number;
  /** Ids of the ring, other than the current key, that seal nothing: they can be dropped from HOOKD_SECRET_KEY. */
  unused_key_ids: string[];
  /** Whether the database holds the current key's key-check value (`mismatch`: another key under that id sealed before). */
  current_key_check: 'recorded' | 'missing' | 'mismatch';
}

export interface RotationReport extends SecretStatus {
  /** Values re-sealed under the current key, by the key id that had sealed them. */
  resealed: { key_id: string; values: number }[];
  /** Values sealed under the current key already, left as they were. */
  already_current: number;
  /** Values changed (or removed) by someone else while rotating, left as that change made them: run it again. */
  changed: SealedRecord[];
  /** Values that could not be opened, left as they are. */
  unreadable: UnreadableRecord[];
}

/**
 * `hookd secrets rotate`: re-seals every stored secret under the current key of the key
 * ring, each with the additional data it was bound to, so old key ids can be dropped. A
 * row is written only while it still holds what was read, so a concurrent change is never
 * overwritten; a value that cannot be opened is reported by its record, never printed.
 */
export class SecretRotationService {
  private readonly sealer: Sealer;
  private readonly holders: readonly SealedHolder[];
  private readonly log: ServiceLog;

  constructor(sealer: Sealer, holders: readonly SealedHolder[], log: ServiceLog = SILENT_LOG) {
    this.sealer = sealer;
    this.holders = holders;
    this.log = log;
  }

  /** Which key ids seal how many values, and whether the current key's check is recorded; opens nothing. */
  async status(): Promise<SecretStatus> {
    const values: SealedValue[] = [];
    for (const holder of this.holders) values.push(...(await holder.list()));
    return this.describe(values);
  }

  async rotate(actor: Principal): Promise<RotationReport> {
    // First, and even with nothing to re-seal: refuses a ring whose keys differ from those
    // that sealed, and lets a later process with another current key be refused at start.
    await this.sealer.recordKeyCheck();
    const current = this.sealer.currentKeyId;
    const resealed = new Map<string, number>();
    const changed: SealedRecord[] = [];
    const unreadable: UnreadableRecord[] = [];
    let alreadyCurrent = 0;
    const after: SealedValue[] = [];
    for (const holder of this.holders) {
      for (const value of await holder.list()) {
        const record = { holder: holder.name, id: value.id, field: value.field };
        let plaintext: string;
        try {
          plaintext = this.sealer.open(value.sealed, value.aad);
        } catch (error) {
          if (!(error instanceof SecretUnreadableError)) throw error;
          unreadable.push({
            ...record,
            key_id: error.keyId ?? this.sealer.keyIdOf(value.sealed),
            reason: error.reason,
            message: error.message,
          });
          after.push(value);
          continue;
        }
        const keyId = this.sealer.keyIdOf(value.sealed)!;
        if (keyId === current) {
          alreadyCurrent++;
          after.push(value);
          continue;
        }
        const sealed = await this.sealer.seal(plaintext, value.aad);
        if (await holder.replace(value.id, value.field, value.sealed, sealed)) {
          resealed.set(keyId, (resealed.get(keyId) ?? 0) + 1);
          after.push({ ...value, sealed });
        } else {
          changed.push(record);
        }
      }
    }
    // What was changed meanwhile is counted as it is now.
    if (changed.length > 0) {
      const touched = new Set(changed.map((c) => `${c.holder}\u0000${c.id}\u0000${c.field}`));
      for (const holder of this.holders) {
        for (const value of await holder.list()) {
          if (touched.has(`${holder.name}\u0000${value.id}\u0000${value.field}`)) after.push(value);
        }
      }
    }
    const report: RotationReport = {
      ...(await this.describe(after)),
      resealed: [...resealed].sort(([a], [b]) => compare(a, b)).map(([key_id, values]) => ({ key_id, values })),
      already_current: alreadyCurrent,
      changed,
      unreadable,
    };
    writeAudit(this.log, { actor: actor.actor, action: 'secrets.rotate', target: current, team: actor.teamId, session: actor.sessionId });
    return report;
  }

  private async describe(values: readonly SealedValue[]): Promise<SecretStatus> {
    const ring = [...this.sealer.keyIds];
    const counts = new Map<string, number>();
    let malformed = 0;
    for (const value of values) {
      const keyId = this.sealer.keyIdOf(value.sealed);
      if (keyId === null) malformed++;
      else counts.set(keyId, (counts.get(keyId) ?? 0) + 1);
    }
    return {
      current_key_id: this.sealer.currentKeyId,
      key_ring: ring,
      sealed_by: [...counts]
        .sort(([a], [b]) => compare(a, b))
        .map(([key_id, count]) => ({ key_id, values: count, in_key_ring: ring.includes(key_id) })),
      malformed,
      unused_key_ids: ring.slice(1).filter((id) => !counts.has(id)),
      current_key_check: await this.sealer.currentKeyCheck(),
    };
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
