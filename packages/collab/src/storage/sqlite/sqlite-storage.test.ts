import { runCollabConformance } from '../../testing/collab-conformance.js';
import { sqliteFixture } from '../../testing/storage-fixtures.js';

runCollabConformance(sqliteFixture());
