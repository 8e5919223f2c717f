// Every test must run at least one assertion (issue 13): a test that asserts nothing cannot fail.
beforeEach(() => {
  expect.hasAssertions();
});
