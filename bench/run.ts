// `npm run bench [name...]`: runs the benchmark scenarios named on the command line, or all of them.
// A scenario is a module `bench/<name>.ts` whose default export runs it; add its name below.

const scenarios = ['persistence'];

const asked = process.argv.slice(2);
for (const name of asked) {
  if (!scenarios.includes(name)) {
    console.error(`unknown benchmark "${name}"; known: ${scenarios.join(', ')}`);
    process.exit(2);
  }
}
for (const name of asked.length > 0 ? asked : scenarios) {
  console.log(`\n== ${name} ==`);
  const scenario = (await import(`./${name}.js`)) as { default: () => Promise<void> };
  await scenario.default();
}
