/**
 * Kahn's algorithm, stable in the order ids are given. Nodes left over sit on a cycle (or
 * downstream of one) and are returned separately so they can be reported.
 */
export function topologicalOrder(ids: string[], edges: [string, string][]): { order: string[]; cyclic: string[] } {
  const unique = [...new Set(ids)];
  const indegree = new Map(unique.map((id) => [id, 0]));
  const next = new Map<string, string[]>(unique.map((id) => [id, []]));
  for (const [from, to] of edges) {
    next.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const ready = unique.filter((id) => indegree.get(id) === 0);
  const order: string[] = [];
  for (let i = 0; i < ready.length; i++) {
    const id = ready[i];
    order.push(id);
    for (const to of next.get(id)!) {
      const d = indegree.get(to)! - 1;
      indegree.set(to, d);
      if (d === 0) ready.push(to);
    }
  }
  const placed = new Set(order);
  return { order, cyclic: unique.filter((id) => !placed.has(id)) };
}
