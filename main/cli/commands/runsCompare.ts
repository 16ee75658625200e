import { diffGraphs, diffRecords } from '../../core';
import { EXIT_OK, InvalidInputError, printJsonLine, printTable } from '../output';
import { openCliStore, type StoreOptions } from '../storeOption';
import { summarizeMetrics } from './runMetrics';

const show = (v: unknown) => (v === undefined ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * `visionbench runs compare <id> <id>…`: every other run against the first — hyper-parameters
 * that differ, nodes and params that changed between the IRs, and the final/best metric deltas.
 */
export function runsCompareCommand(runIds: string[], options: StoreOptions & { json?: boolean }): number {
  if (runIds.length < 2) throw new InvalidInputError('Give at least two run ids to compare');
  const { store } = openCliStore(options);
  try {
    const runs = runIds.map((id) => store.getRun(id) ?? (() => { throw new InvalidInputError(`No run "${id}" in ${store.file}`); })());
    const metrics = runIds.map((id) => new Map(summarizeMetrics(store.getMetrics(id)).map((m) => [m.name, m])));
    const [base, ...others] = runs;
    const comparisons = others.map((run, i) => ({
      base: base.id,
      run: run.id,
      sameArchitecture: base.irHash === run.irHash,
      hyperParams: diffRecords(base.hyperParams, run.hyperParams),
      graph: diffGraphs(base.graph, run.graph),
      metrics: [...new Set([...metrics[0].keys(), ...metrics[i + 1].keys()])].sort().map((name) => {
        const a = metrics[0].get(name);
        const b = metrics[i + 1].get(name);
        return { name, base: a?.last ?? null, run: b?.last ?? null, delta: a && b ? b.last - a.last : null, bestBase: a?.best ?? null, bestRun: b?.best ?? null };
      }),
    }));
    if (options.json) {
      printJsonLine({ runs: runIds, comparisons });
      return EXIT_OK;
    }
    for (const c of comparisons) {
      process.stdout.write(`${c.run} against ${c.base}: ${c.sameArchitecture ? 'same architecture' : 'architecture differs'}\n`);
      if (c.hyperParams.length > 0) printTable([['HYPER-PARAMETER', 'BASE', 'RUN'], ...c.hyperParams.map((p) => [p.key, show(p.from), show(p.to)])]);
      const g = c.graph;
      for (const n of g.added) process.stdout.write(`  + node ${n.id} (${n.type})\n`);
      for (const n of g.removed) process.stdout.write(`  - node ${n.id} (${n.type})\n`);
      for (const n of g.changed) {
        const parts = [...(n.typeFrom ? [`type ${n.typeFrom} → ${n.type}`] : []), ...n.params.map((p) => `${p.key} ${show(p.from)} → ${show(p.to)}`), ...(n.frozen ? [`frozen ${n.frozen.from} → ${n.frozen.to}`] : [])];
        process.stdout.write(`  ~ node ${n.id}: ${parts.join(', ')}\n`);
      }
      for (const e of g.edgesAdded) process.stdout.write(`  + edge ${e}\n`);
      for (const e of g.edgesRemoved) process.stdout.write(`  - edge ${e}\n`);
      const fmt = (x: number | null) => (x === null ? '-' : x.toFixed(4));
      printTable([['METRIC', 'BASE', 'RUN', 'DELTA'], ...c.metrics.map((m) => [m.name, fmt(m.base), fmt(m.run), m.delta === null ? '-' : (m.delta >= 0 ? '+' : '') + m.delta.toFixed(4)])], [1, 2, 3]);
      process.stdout.write('\n');
    }
    return EXIT_OK;
  } finally {
    store.close();
  }
}
