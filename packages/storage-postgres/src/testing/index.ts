export { postgresFixture, type PostgresFixture } from './postgres-fixture.js';
