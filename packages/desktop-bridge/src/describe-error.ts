/** Returns the log fields of a caught error: its message and, where it has one, its stable code. */
export function describeError(error: unknown): { error: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { error: error.message, code } : { error: error.message };
  }
  return { error: String(error) };
}
