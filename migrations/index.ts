import { Foundation1764000000000 } from './1764000000000-foundation.js';
import { RectificationItems1764100000000 } from './1764100000000-rectification-items.js';
import { WorkCalendar1764200000000 } from './1764200000000-work-calendar.js';
import { Reminders1764300000000 } from './1764300000000-reminders.js';
import { ListIndexes1764400000000 } from './1764400000000-list-indexes.js';
import { Statistics1764500000000 } from './1764500000000-statistics.js';
import { StatisticsSnapshots1764600000000 } from './1764600000000-statistics-snapshots.js';
import { KeyProjects1764700000000 } from './1764700000000-key-projects.js';
import { RecentChanges1764800000000 } from './1764800000000-recent-changes.js';
import { CachedFunctionPlans1764900000000 } from './1764900000000-cached-function-plans.js';
import { ItemReaders1765000000000 } from './1765000000000-item-readers.js';
import { ItemReaderStateIndex1765100000000 } from './1765100000000-item-reader-state-index.js';
import { OutboxMetricsIndexes1765300000000 } from './1765300000000-outbox-metrics-indexes.js';
import { WebApp1765400000000 } from './1765400000000-web-app.js';
import { SourceDocuments1765600000000 } from './1765600000000-source-documents.js';
import { ReworkPaths1765700000000 } from './1765700000000-rework-paths.js';
import { CalendarYears1765700000001 } from './1765700000001-calendar-years.js';
import { BatchNoticeEndAndOpenFirst1766100000000 } from './1766100000000-notice-end-and-open-first.js';
import { ItemReaderOpenFirst1766150000000 } from './1766150000000-item-reader-open-first.js';
import { ComplaintCases1766200000000 } from './1766200000000-complaint-cases.js';
import { BulkItemInsert1766300000000 } from './1766300000000-bulk-item-insert.js';
import { ComplaintReaders1766400000000 } from './1766400000000-complaint-readers.js';
import { OpenItemsCovering1766400000001 } from './1766400000001-open-items-covering.js';
import { ComplaintEvidence1766410000000 } from './1766410000000-complaint-evidence.js';
import { ComplaintDuplicateIndex1766430000000 } from './1766430000000-complaint-duplicate-index.js';
import { ComplaintReaderAll1766500000000 } from './1766500000000-complaint-reader-all.js';
import { BulkItemRollups1766550000000 } from './1766550000000-bulk-item-rollups.js';
import { TextBigramsWithoutSubquery1766700000000 } from './1766700000000-text-bigrams-without-subquery.js';
import { ItemReaderWithoutForeignKey1766700000001 } from './1766700000001-item-reader-without-foreign-key.js';
import { ComplaintTextBigrams1766800000000 } from './1766800000000-complaint-text-bigrams.js';
import { ItemTextOneIndex1766900000000 } from './1766900000000-item-text-one-index.js';

/** Every migration, in order. Listed explicitly so tsc, swc, Jest and the CLI see one set. */
export const MIGRATIONS = [
  Foundation1764000000000,
  RectificationItems1764100000000,
  WorkCalendar1764200000000,
  Reminders1764300000000,
  ListIndexes1764400000000,
  Statistics1764500000000,
  StatisticsSnapshots1764600000000,
  KeyProjects1764700000000,
  RecentChanges1764800000000,
  CachedFunctionPlans1764900000000,
  ItemReaders1765000000000,
  ItemReaderStateIndex1765100000000,
  OutboxMetricsIndexes1765300000000,
  WebApp1765400000000,
  SourceDocuments1765600000000,
  ReworkPaths1765700000000,
  CalendarYears1765700000001,
  BatchNoticeEndAndOpenFirst1766100000000,
  ItemReaderOpenFirst1766150000000,
  ComplaintCases1766200000000,
  BulkItemInsert1766300000000,
  ComplaintReaders1766400000000,
  OpenItemsCovering1766400000001,
  ComplaintEvidence1766410000000,
  ComplaintDuplicateIndex1766430000000,
  ComplaintReaderAll1766500000000,
  BulkItemRollups1766550000000,
  TextBigramsWithoutSubquery1766700000000,
  ItemReaderWithoutForeignKey1766700000001,
  ComplaintTextBigrams1766800000000,
  ItemTextOneIndex1766900000000,
];
