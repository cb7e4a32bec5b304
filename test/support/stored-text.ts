import Database from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath } from './test-database.ts';

const TABLES = ['events', 'sessions', 'tool_uses'] as const;

/**
 * Every row of the tables hookd stores agent data in, as one JSON text, read straight from
 * the database (not through the API), to prove what storage holds and what it never does.
 */
export async function storedText(url: string, schema = 'hookd'): Promise<string> {
  if (url.startsWith('sqlite:')) {
    const db = new Database(sqlitePath(url), { readonly: true });
    try {
      return JSON.stringify(TABLES.map((table) => db.prepare(`SELECT * FROM ${table}`).all()));
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const rows = [];
    for (const table of TABLES) rows.push((await client.query(`SELECT * FROM ${schema}.${table}`)).rows);
    return JSON.stringify(rows);
  } finally {
    await client.end();
  }
}
