// Types for the cdktf matchers that __tests__/setup.js registers (Testing.setupJest()).
export {};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      toBeValidTerraform(): R;
      toPlanSuccessfully(): R;
    }
  }
}
