/**
 * A src module loaded afresh inside the running test. Module-level values (schemas, arrows) built at
 * import time would run before any test, and Stryker's per-test coverage would not give their
 * mutants to the tests that check them. `load` calls `jest.requireActual` from the test file, so the
 * path resolves from there.
 */
export const loadInTheTest = <M>(load: () => M): M => {
  let loaded: M | undefined;
  jest.isolateModules(() => {
    loaded = load();
  });
  return loaded!;
};
