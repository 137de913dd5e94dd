/**
 * Every column that holds field-cipher tokens, so key rotation can find them all. A module that adds
 * an encrypted column registers it here next to its schema.
 */
export interface EncryptedColumn {
  table: string;
  key: string; // primary key column
  column: string;
}

export const ENCRYPTED_COLUMNS: EncryptedColumn[] = [{ table: 'users', key: 'id', column: 'phone_enc' }];
