import { formatBytes, formatCount, formatFlops, formatShapeForPeople, getBlock, type GraphNode, type GraphReport } from '../../../main/core';
import { resolvedParams } from '../graph/blockCatalog';
import { formatValue } from '../graph/paramSummary';
import { PropertyTable } from './PropertyTable';

/** One node: what it is, its params (defaults filled in, read-only for now) and what it costs. */
export function NodeInspector({ node, report }: { node: GraphNode; report: GraphReport }): React.JSX.Element {
  const block = getBlock(node.type);
  const r = report.nodes.find((n) => n.id === node.id);
  const errors = report.errors.filter((e) => e.node === node.id);
  const params = block ? (resolvedParams(block, node.params) ?? node.params) : node.params;
  const explicit = new Set(Object.keys(node.params));
  return (
    <div className="vb-inspect" data-testid="node-inspector">
      <div className="vb-inspect-head">
        <span className={`vb-cat-dot cat-${block?.category ?? 'unknown'}`} aria-hidden="true" />
        <div>
          <div className="vb-inspect-title">{node.type}</div>
          <div className="vb-inspect-sub">{node.id}</div>
        </div>
      </div>
      {block && <p className="vb-item-doc">{block.doc}</p>}
      {errors.map((e, i) => (
        <p key={i} className="vb-error-box" role="alert">
          {e.message}
        </p>
      ))}
      <h3 className="vb-section-title">Output</h3>
      <PropertyTable
        rows={[
          ['shape', <code key="s">{formatShapeForPeople(r?.outShape ?? null)}</code>],
          ['params', formatCount(r?.params ?? 0)],
          ['buffers', formatCount(r?.buffers ?? 0)],
          ['FLOPs', formatFlops(r?.flops ?? 0)],
          ['activation', formatBytes(r?.activationBytes ?? 0) + ' / sample'],
        ]}
      />
      <h3 className="vb-section-title">Parameters</h3>
      {Object.keys(params).length === 0 ? (
        <p className="vb-empty">This block has no parameters.</p>
      ) : (
        <PropertyTable
          testId="node-params-table"
          rows={Object.entries(params).map(([key, value]) => [key, <span key={key} className={explicit.has(key) ? '' : 'vb-default'}>{formatValue(value)}</span>])}
        />
      )}
      {node.frozen && <p className="vb-item-doc">Frozen: its weights do not change during training.</p>}
    </div>
  );
}
