/** RFC 9457 problem details; `type` is stable per error so clients can branch on it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: Array<{ field: string; messages: string[] }>;
  [extension: string]: unknown;
}

export const PROBLEM_BASE = 'https://crm.example/problems/';

/** A business rule refused the command; the domain names it with a stable code. */
export class DomainProblem extends Error {
  constructor(readonly code: string, readonly status: number, message: string, readonly extensions: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainProblem';
  }
}
