import type { RecordStore, StoredRecord } from '../../src/privacy/personal-data-report';
import { MemoryStore } from '../fakes/fake-jira';

/** An in-memory KVS with prefix listing in pages of `pageSize` (keys in order, like KVS). */
export class MemoryRecordStore extends MemoryStore implements RecordStore {
  pagesListed = 0;
  constructor(private readonly pageSize = 2) {
    super();
  }

  async list(prefix: string, cursor: string | null): Promise<{ records: StoredRecord[]; nextCursor: string | null }> {
    this.pagesListed += 1;
    const keys = [...this.values.keys()].filter((k) => k.startsWith(prefix)).sort();
    const start = cursor === null ? 0 : Number(cursor);
    const page = keys.slice(start, start + this.pageSize);
    const next = start + this.pageSize < keys.length ? String(start + this.pageSize) : null;
    return { records: page.map((key) => ({ key, value: this.values.get(key) })), nextCursor: next };
  }

  override async delete(key: string): Promise<void> {
    this.values.delete(key);
  }
}
