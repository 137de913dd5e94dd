import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * One version of the sensitive-word list. A change is a new row, old versions stay so that a held
 * message can be explained by the list that held it; exactly one row is active.
 */
export const smsWordLists = pgTable(
  'sms_word_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    version: integer('version').notNull(),
    note: text('note'),
    active: boolean('active').notNull().default(false),
    createdBy: text('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('sms_word_lists_version_key').on(t.version),
    uniqueIndex('sms_word_lists_active_key').on(t.active).where(sql`${t.active}`),
    check('sms_word_lists_version_check', sql`${t.version} >= 1`),
  ],
);

/** The words of a list version, as entered and in the normalised form the matcher uses. */
export const smsWords = pgTable(
  'sms_words',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    listId: uuid('list_id')
      .notNull()
      .references(() => smsWordLists.id, { onDelete: 'restrict' }),
    word: text('word').notNull(),
    normalised: text('normalised').notNull(),
  },
  (t) => [
    uniqueIndex('sms_words_list_normalised_key').on(t.listId, t.normalised),
    index('sms_words_list_idx').on(t.listId),
    check('sms_words_word_check', sql`char_length(${t.word}) between 1 and 50`),
  ],
);
