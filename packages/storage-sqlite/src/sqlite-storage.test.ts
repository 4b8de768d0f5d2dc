import { runCollabConformance } from '@vestnik/collab/testing';
import { runStorageConformance } from '@vestnik/storage/testing';
import { sqliteFixture } from './testing/sqlite-fixture.js';

runStorageConformance(sqliteFixture());
runCollabConformance(sqliteFixture());
