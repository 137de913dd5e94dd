import { AppError } from '../../platform/errors/app-error.ts';
import type { ErrorCode } from '../../platform/errors/messages.ts';

/**
 * A validation finding: checks collect every finding so a form can mark all its bad fields at once,
 * and callers that must stop throw the first.
 */
export interface Problem {
  code: ErrorCode;
  params: Record<string, string | number>;
}

/** Throws the first problem as the error, with all of them in the details. */
export function throwIfProblems(problems: readonly Problem[]): void {
  const [first] = problems;
  if (first) throw new AppError(first.code, { params: first.params, details: { problems } });
}
