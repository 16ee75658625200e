import { formatCount, formatFlops, formatShapeForPeople } from '../../core';
import { listTemplates } from '../../templates/templateLibrary';
import { printJsonLine, printTable } from '../output';

/** `visionbench templates [--json]`: every shipped template with its size. */
export function templatesCommand(options: { json?: boolean }): number {
  const templates = listTemplates();
  if (options.json) {
    printJsonLine(templates.map(({ name, tasks, input, params, trainableParams, flops }) => ({ name, task: tasks.join('+'), input, params, trainableParams, flops })));
    return 0;
  }
  printTable(
    [
      ['NAME', 'TASK', 'INPUT', 'PARAMS', 'FLOPS'],
      ...templates.map((t) => [t.name, t.tasks.join('+'), formatShapeForPeople(t.input), formatCount(t.params), formatFlops(t.flops)]),
    ],
    [3, 4],
  );
  return 0;
}
