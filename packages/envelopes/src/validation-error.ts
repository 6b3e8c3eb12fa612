/** One problem found in an envelope: where (an RFC 6901 JSON pointer, "" = the whole value) and what. */
export interface ValidationIssue {
  readonly pointer: string;
  readonly message: string;
}

/** How many issues the error message spells out; `issues` always holds them all. */
const ISSUES_IN_MESSAGE = 5;

/** Renders an issue as `pointer: message`, showing the whole value's pointer "" as "/". */
export function formatIssue(issue: ValidationIssue): string {
  return `${issue.pointer === "" ? "/" : issue.pointer}: ${issue.message}`;
}

/** Thrown by every validator: `subject` says what was validated, `issues` lists every problem found. */
export class EnvelopeValidationError extends Error {
  readonly subject: string;
  readonly issues: readonly ValidationIssue[];

  constructor(subject: string, issues: readonly ValidationIssue[]) {
    const shown = issues.slice(0, ISSUES_IN_MESSAGE).map(formatIssue).join("; ");
    const more = issues.length > ISSUES_IN_MESSAGE ? ` (and ${issues.length - ISSUES_IN_MESSAGE} more)` : "";
    super(`invalid ${subject}: ${shown}${more}`);
    this.name = "EnvelopeValidationError";
    this.subject = subject;
    this.issues = issues;
  }
}
