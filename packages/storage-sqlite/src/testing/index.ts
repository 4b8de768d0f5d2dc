export { sqliteFixture } from './sqlite-fixture.js';
