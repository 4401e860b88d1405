// Files offered in a Teams personal chat and not yet accepted or declined (the Bot Framework file consent flow):
// the bytes wait here, not in the card, so the accept can land on any replica and a card never carries case detail.
import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { created } from './schema-columns.js';

export const teamsFileOffers = pgTable(
  'teams_file_offers',
  {
    /** Random, sent in the consent card's accept/decline context: the only thing the card carries. */
    id: text('id').primaryKey(),
    /** Only the person the file was offered to may accept it (Entra object id, lower case). */
    aadObjectId: text('aad_object_id').notNull(),
    personId: text('person_id').notNull(),
    crn: text('crn').notNull(),
    filename: text('filename').notNull(),
    mimeType: text('mime_type').notNull(),
    content: text('content').notNull(),
    createdAt: created(),
  },
  (t) => [index('teams_file_offers_created_idx').on(t.createdAt)],
);
