// Types for the cdktf matchers that __tests__/setup.js registers (Testing.setupJest()).
export {};

declare global {
  namespace jest {
    interface Matchers<R> {
      toBeValidTerraform(): R;
      toPlanSuccessfully(): R;
    }
  }
}
