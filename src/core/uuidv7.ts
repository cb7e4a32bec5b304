const pool = Buffer.alloc(16 * 256);
let offset = pool.length;

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time then random bits, so server-made ids
 * sort by creation time. Random bytes are drawn 4 KiB at a time because this runs once
 * per event on the ingest path. node:crypto is loaded on the first draw, not on import:
 * `hookd emit` imports the ingest path, never draws, and loading it would add to every
 * hook's start-up.
 */
export function uuidv7(now = Date.now()): string {
  if (offset + 10 > pool.length) {
    process.getBuiltinModule('node:crypto').randomFillSync(pool);
    offset = 0;
  }
  const id = uuidv7Of(now, pool.subarray(offset, offset + 10));
  offset += 10;
  return id;
}

/** The UUIDv7 of `now` with these 10 random bytes (for callers with their own source). */
export function uuidv7Of(now: number, random: Uint8Array): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  b.set(random.subarray(0, 10), 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
