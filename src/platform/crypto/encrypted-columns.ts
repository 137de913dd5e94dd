/**
 * Every column that holds field-cipher tokens, so key rotation can find them all. A module that adds
 * an encrypted column registers it here next to its schema.
 */
export interface EncryptedColumn {
  table: string;
  key: string; // primary key column
  column: string;
  /** 'token' (default): text from encryptField; 'bytes': bytea from encryptBytes. */
  format?: 'token' | 'bytes';
}

export const ENCRYPTED_COLUMNS: EncryptedColumn[] = [
  { table: 'users', key: 'id', column: 'phone_enc' },
  { table: 'applications', key: 'id', column: 'name_enc' },
  { table: 'applications', key: 'id', column: 'citizen_id_enc' },
  { table: 'applications', key: 'id', column: 'phone_enc' },
  { table: 'applications', key: 'id', column: 'hukou_address_enc' },
  { table: 'applications', key: 'id', column: 'residence_address_enc' },
  { table: 'application_photos', key: 'application_id', column: 'photo_enc', format: 'bytes' },
  { table: 'notification_outbox', key: 'id', column: 'recipient_phone_enc' },
  { table: 'applications', key: 'id', column: 'bank_account_enc' },
  { table: 'batch_records', key: 'card_id', column: 'record_enc', format: 'bytes' },
  { table: 'batch_records', key: 'card_id', column: 'photo_enc', format: 'bytes' },
  { table: 'package_keys', key: 'id', column: 'secret_enc', format: 'bytes' },
  { table: 'maintenance_visits', key: 'id', column: 'signer_name_enc' },
  { table: 'maintenance_visits', key: 'id', column: 'signature_enc', format: 'bytes' },
  { table: 'maintenance_engineers', key: 'id', column: 'name_enc' },
  { table: 'maintenance_engineers', key: 'id', column: 'phone_enc' },
  { table: 'maintenance_ticket_photos', key: 'id', column: 'photo_enc', format: 'bytes' },
  { table: 'sms_messages', key: 'id', column: 'phone_enc' },
  { table: 'sms_inbound', key: 'id', column: 'phone_enc' },
];
