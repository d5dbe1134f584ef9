// The benchmark arrives with the compliance engine; until then it says so instead of pretending.
console.error("npm run bench: no benchmark exists yet (it comes with the compliance engine).");
process.exit(1);
