/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: "node",
  roots: ["<rootDir>/__tests__"],
  testMatch: ["**/*.test.ts"],
  // type checking is `tsc --noEmit` in `npm test`; with tsconfig's isolatedModules, ts-jest only
  // transpiles each file, which keeps jest fast
  transform: { "^.+\\.ts$": "ts-jest" },
  // the construct library's sources, as tsconfig.json's paths say for the type check
  moduleNameMapper: { "^cdktf-libvirt$": "<rootDir>/packages/cdktf-libvirt/src/index.ts" },
  setupFilesAfterEnv: ["<rootDir>/__tests__/setup.ts"],
  globalSetup: "<rootDir>/__tests__/global-setup.ts",
  globalTeardown: "<rootDir>/__tests__/global-teardown.ts",
  testTimeout: 60000,
};
