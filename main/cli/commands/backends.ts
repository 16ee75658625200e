import { BACKEND_ORDER, initBackend } from '../../backend/selectBackend';
import { EXIT_OK, printJsonLine, printTable } from '../output';

/**
 * `visionbench backends`: which TF.js backend training would use here, and why each better one
 * did not load. Backends after the chosen one are not tried (a better one loaded).
 */
export async function backendsCommand(options: { threads?: number; json?: boolean }): Promise<number> {
  const chosen = await initBackend({ threads: options.threads });
  const rows = BACKEND_ORDER.map((name) => {
    const attempt = chosen.attempts.find((a) => a.name === name);
    if (!attempt) return { name, status: 'not tried', reason: `${chosen.name} is preferred and loaded` };
    return attempt.ok ? { name, status: 'chosen', reason: chosen.label } : { name, status: 'unavailable', reason: attempt.reason ?? '' };
  });
  if (options.json) printJsonLine({ chosen: chosen.name, threads: chosen.threads, label: chosen.label, backends: rows });
  else printTable([['BACKEND', 'STATUS', 'DETAIL'], ...rows.map((r) => [r.name, r.status, r.reason.split('\n')[0].slice(0, 100)])]);
  return EXIT_OK;
}
