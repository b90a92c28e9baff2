/** The error a promise rejects with; fails the test when it resolves (a run that should have been refused ran). */
export async function rejectionOf(running: Promise<unknown>): Promise<Error> {
  try {
    await running;
  } catch (error) {
    if (error instanceof Error) return error;
    throw error;
  }
  throw new Error('expected a rejection, the promise resolved');
}
