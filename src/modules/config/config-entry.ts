/** One entry of the config store (seed 003's `config` table); `value` sealed when `secret`. */
export interface ConfigEntry {
  key: string;
  value: string;
  secret: boolean;
  /** A secret as shown (redactSecret), null for a plain value. */
  hint: string | null;
  updatedAt: number;
  updatedBy: string;
}

export interface ConfigStore {
  get(key: string): Promise<ConfigEntry | null>;
  list(): Promise<ConfigEntry[]>;
  put(entry: ConfigEntry): Promise<void>;
  /** True when there was one. */
  delete(key: string): Promise<boolean>;
  /**
   * Swaps a secret entry's sealed value for `newValue` only while it still is `oldValue`
   * (nothing else changes): false when it was changed or removed since it was read.
   */
  replaceSealed(key: string, oldValue: string, newValue: string): Promise<boolean>;
}

/** The key-check value of each secret key that has sealed something (migration 0015). */
export interface SecretKeyCheck {
  keyId: string;
  check: string;
}

export interface SecretKeyCheckStore {
  list(): Promise<SecretKeyCheck[]>;
  /** Records the check of a key id unless one is stored already. */
  add(check: SecretKeyCheck, now: number): Promise<void>;
}
