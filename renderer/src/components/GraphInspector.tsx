import { formatBytes, formatCount, formatFlops, type GraphIR, type GraphReport } from '../../../main/core';
import { PropertyTable } from './PropertyTable';

/** The open graph as a whole: description, totals and its suggested training recipe. */
export function GraphInspector({ graph, report }: { graph: GraphIR; report: GraphReport }): React.JSX.Element {
  const { totals } = report;
  const recipe = graph.meta.recipe;
  return (
    <div className="vb-inspect" data-testid="graph-inspector">
      <div className="vb-inspect-title">{graph.name}</div>
      {graph.meta.description && <p className="vb-item-doc">{graph.meta.description}</p>}
      <h3 className="vb-section-title">Totals</h3>
      <PropertyTable
        testId="graph-totals"
        rows={[
          ['nodes', String(graph.nodes.length)],
          ['params', formatCount(totals.params)],
          ['trainable', formatCount(totals.trainableParams)],
          ['buffers', formatCount(totals.buffers)],
          ['FLOPs', `${formatFlops(totals.flops)} / sample`],
          ['activations', `${formatBytes(totals.activationBytes)} / sample`],
          ['problems', report.errors.length === 0 ? 'none' : String(report.errors.length)],
        ]}
      />
      {recipe && (
        <>
          <h3 className="vb-section-title">Suggested recipe</h3>
          <PropertyTable
            rows={[
              ['epochs', String(recipe.epochs)],
              ['batch', String(recipe.batchSize)],
              ['optimizer', recipe.optimizer],
              ['learning rate', String(recipe.learningRate)],
              ['schedule', recipe.schedule],
              ['augmentation', recipe.augmentation.length ? recipe.augmentation.join(', ') : 'none'],
            ]}
          />
        </>
      )}
      <p className="vb-hint">Select a node to see its parameters.</p>
    </div>
  );
}
