/** The acceptance scenarios: run only through `npm run test:acceptance`, which starts the lab first. */
/** @type {import('jest').Config} */
module.exports = {
  rootDir: "..",
  testEnvironment: "node",
  roots: ["<rootDir>/acceptance/scenarios"],
  testMatch: ["**/*.test.ts"],
  transform: { "^.+\\.ts$": "ts-jest" },
  // guests boot under TCG: minutes, not seconds
  testTimeout: 15 * 60_000,
  slowTestThreshold: 300,
};
