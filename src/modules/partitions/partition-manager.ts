import type { PostgresDatabase } from '../../db/database.ts';
import { advisoryKey } from '../../db/migration-backend-postgres.ts';

export interface PartitionInfo {
  name: string;
  /** Inclusive start, ISO date. */
  from: string;
  /** Exclusive end, ISO date. */
  to: string;
  /** Planner estimate (pg_class.reltuples); exact counts would scan the partition. */
  estimatedRows: number;
  totalBytes: number;
}

export interface DetachResult {
  name: string;
  dropped: boolean;
  keysDeleted: number;
}

/** Months are counted as year * 12 + (month - 1), in UTC. */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function monthStart(month: number): string {
  const year = Math.floor(month / 12);
  const m = (month % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`;
}

export function partitionName(month: number): string {
  return `events_p${monthStart(month).slice(0, 7).replace('-', '_')}`;
}

/**
 * Keeps the monthly partitions of the PostgreSQL events table: ahead of time, on demand
 * for any month an event falls in, and detached without blocking ingest.
 */
export class PartitionManager {
  private readonly known = new Set<number>();
  private loaded = false;

  private readonly db: PostgresDatabase;

  constructor(db: PostgresDatabase) {
    this.db = db;
  }

  /** Makes sure a partition exists for every month listed (cheap when they are known). */
  async ensureMonths(months: Iterable<number>): Promise<void> {
    if (!this.loaded) await this.refresh();
    for (const month of months) {
      if (!this.known.has(month)) await this.create(month);
    }
  }

  async ensureAhead(now: number, ahead: number): Promise<void> {
    const first = monthOf(now) - 1;
    const wanted: number[] = [];
    for (let m = first; m <= monthOf(now) + ahead; m++) wanted.push(m);
    await this.ensureMonths(wanted);
  }

  /** Forgets what it knows, e.g. after an insert found a partition missing. */
  async refresh(): Promise<void> {
    this.known.clear();
    for (const p of await this.list()) {
      const [y, m] = p.from.split('-').map(Number);
      this.known.add(y! * 12 + (m! - 1));
    }
    this.loaded = true;
  }

  async create(month: number): Promise<string> {
    const name = partitionName(month);
    const client = await this.db.pool.connect();
    try {
      await client.query('BEGIN');
      // Two processes meeting a new month at once would otherwise race on the catalog.
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [advisoryKey(`hookd.partitions.${this.db.schema}`)]);
      await client.query("SET LOCAL lock_timeout = '5s'");
      await client.query(
        `CREATE TABLE IF NOT EXISTS "${this.db.schema}".${name} PARTITION OF "${this.db.schema}".events
         FOR VALUES FROM ('${monthStart(month)} 00:00:00+00') TO ('${monthStart(month + 1)} 00:00:00+00')`,
      );
      await client.query('COMMIT');
      this.known.add(month);
      return name;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async list(): Promise<PartitionInfo[]> {
    const { rows } = await this.db.pool.query<{ name: string; bound: string; rows: number; bytes: number }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound,
              GREATEST(c.reltuples, 0)::bigint AS rows, pg_total_relation_size(c.oid) AS bytes
         FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
         JOIN pg_namespace n ON n.oid = p.relnamespace
        WHERE n.nspname = $1 AND p.relname = 'events'
        ORDER BY c.relname`,
      [this.db.schema],
    );
    return rows.map((r) => {
      const [from, to] = [...r.bound.matchAll(/'(\d{4}-\d{2}-\d{2})/g)].map((m) => m[1] as string);
      return { name: r.name, from: from ?? '', to: to ?? '', estimatedRows: r.rows, totalBytes: r.bytes };
    });
  }

  /**
   * Detaches (and by default drops) every partition wholly older than `keepMonths`
   * months before now. DETACH ... CONCURRENTLY waits only for running queries, so
   * ingest into other months carries on.
   */
  async detachOlderThan(keepMonths: number, options: { drop: boolean; now?: number }): Promise<DetachResult[]> {
    const cutoff = monthOf(options.now ?? Date.now()) - keepMonths;
    const results: DetachResult[] = [];
    for (const p of await this.list()) {
      const [y, m] = p.from.split('-').map(Number);
      if (y! * 12 + (m! - 1) >= cutoff) continue;
      results.push(await this.detach(p, options.drop));
    }
    return results;
  }

  async detach(partition: PartitionInfo, drop: boolean): Promise<DetachResult> {
    const schema = `"${this.db.schema}"`;
    await this.db.pool.query(`ALTER TABLE ${schema}.events DETACH PARTITION ${schema}.${partition.name} CONCURRENTLY`);
    if (drop) await this.db.pool.query(`DROP TABLE ${schema}.${partition.name}`);
    // Idempotency keys of the removed month go too, in small steps to keep locks short.
    let keysDeleted = 0;
    for (;;) {
      const { rowCount } = await this.db.pool.query(
        `DELETE FROM ${schema}.event_keys WHERE ctid IN (
           SELECT ctid FROM ${schema}.event_keys WHERE ts >= ($1 || ' 00:00:00+00')::timestamptz AND ts < ($2 || ' 00:00:00+00')::timestamptz LIMIT 10000)`,
        [partition.from, partition.to],
      );
      keysDeleted += rowCount ?? 0;
      if (!rowCount) break;
    }
    const [y, m] = partition.from.split('-').map(Number);
    this.known.delete(y! * 12 + (m! - 1));
    return { name: partition.name, dropped: drop, keysDeleted };
  }
}
