/** The address book: `<wallets dir>/address-book.json`, a list of named RTC addresses, written atomically. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RTC_ADDRESS_FORMAT } from '../protocol/keys.js';
import { WalletError } from './errors.js';
import { replaceFileAtomic } from '../platform/atomic-file.js';

export interface AddressBookEntry {
  name: string;
  address: string;
  note: string;
}

const MAX_NAME = 100;
const MAX_NOTE = 1000;

/** C.4 step 2: "RTC" + 40 hex, the hex part lower-cased. */
export function normaliseRecipient(address: string): string {
  const a = address.trim();
  if (!RTC_ADDRESS_FORMAT.test(a))
    throw new WalletError('invalid_address', `not an RTC address: ${JSON.stringify(address)}`);
  return 'RTC' + a.slice(3).toLowerCase();
}

export class AddressBook {
  readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, 'address-book.json');
  }

  list(): AddressBookEntry[] {
    if (!existsSync(this.file)) return [];
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.file, 'utf8'));
    } catch {
      throw new WalletError('usage', `${this.file} is not valid JSON`);
    }
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (e): e is AddressBookEntry =>
        typeof e === 'object' &&
        e !== null &&
        typeof e.name === 'string' &&
        typeof e.address === 'string' &&
        typeof e.note === 'string',
    );
  }

  /** Adds an entry, or replaces the entry with the same address. */
  put(entry: { name: string; address: string; note?: string }): AddressBookEntry {
    const name = entry.name.trim();
    if (name === '' || name.length > MAX_NAME) throw new WalletError('usage', `a name has 1…${MAX_NAME} characters`);
    const note = (entry.note ?? '').trim();
    if (note.length > MAX_NOTE) throw new WalletError('usage', `a note has at most ${MAX_NOTE} characters`);
    const clean: AddressBookEntry = { name, address: normaliseRecipient(entry.address), note };
    const entries = this.list().filter((e) => e.address !== clean.address);
    entries.push(clean);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    this.write(entries);
    return clean;
  }

  remove(address: string): boolean {
    const a = normaliseRecipient(address);
    const entries = this.list();
    const kept = entries.filter((e) => e.address !== a);
    if (kept.length === entries.length) return false;
    this.write(kept);
    return true;
  }

  find(address: string): AddressBookEntry | undefined {
    const a = normaliseRecipient(address);
    return this.list().find((e) => e.address === a);
  }

  private write(entries: AddressBookEntry[]): void {
    replaceFileAtomic(this.file, JSON.stringify(entries, null, 2) + '\n');
  }
}
