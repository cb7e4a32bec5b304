import { describe, expect, it } from 'vitest';
import { POSTGRES_DIALECT, SQLITE_DIALECT } from './sql-dialect.ts';

describe('SqlDialect', () => {
  it('names a qualified time column after the column alone, on PostgreSQL', () => {
    expect(POSTGRES_DIALECT.msColumn('t.started_at')).toBe('(extract(epoch FROM t.started_at) * 1000)::int8 AS started_at');
    expect(SQLITE_DIALECT.msColumn('t.started_at')).toBe('t.started_at');
  });

  it('types a time parameter as int8 on PostgreSQL, `?` unless another is named', () => {
    expect(POSTGRES_DIALECT.timeParam()).toBe("(timestamptz 'epoch' + ?::int8 * interval '1 millisecond')");
    expect(POSTGRES_DIALECT.timeParam('$4')).toBe("(timestamptz 'epoch' + $4::int8 * interval '1 millisecond')");
    expect(SQLITE_DIALECT.timeParam()).toBe('?');
  });

  it('numbers placeholders on PostgreSQL only', () => {
    expect(POSTGRES_DIALECT.placeholders('a = ? AND b < ?')).toBe('a = $1 AND b < $2');
    expect(SQLITE_DIALECT.placeholders('a = ? AND b < ?')).toBe('a = ? AND b < ?');
  });
});
