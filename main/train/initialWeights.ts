import type * as TF from '@tensorflow/tfjs';
import type { GraphIR } from '../core';
import type { LoadWeights, WeightLoadSummary } from './protocol';
import { TrainingInputError } from './trainingErrors';
import { loadWeightsByName, pretrainedNodes } from './weightLoading';
import { describeWeightSource, readWeightSource } from './weightSources';

/**
 * A new run's initial weights from another run or a TF.js model, matched by name and shape.
 * What did not match is reported, not fatal — a new head is expected to be missing, a head with
 * another class count to be mismatched — but a source nothing matched is refused: that is a
 * different architecture, or a wrong file, and training "from pretrained" would silently start
 * from scratch.
 */
export function loadInitialWeights(tf: typeof TF, model: TF.LayersModel, graph: GraphIR, source: LoadWeights): WeightLoadSummary {
  const tensors = readWeightSource(tf, source);
  try {
    const report = loadWeightsByName(tf, model, tensors);
    const summary: WeightLoadSummary = {
      source: describeWeightSource(source),
      total: model.weights.length,
      matched: report.matched.length,
      missing: report.missing,
      mismatched: report.mismatched.map((m) => ({ name: m.name, targetShape: m.targetShape, sourceShape: m.sourceShape })),
      unused: report.unused,
      ambiguous: report.ambiguous.map((a) => a.target),
      pretrainedNodes: pretrainedNodes(report, graph.nodes.map((n) => n.id)),
    };
    if (summary.matched === 0) {
      const sample = (names: string[]) => names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
      throw new TrainingInputError(
        `No weight of ${summary.source} fits this model by name and shape (the model's: ${sample(model.weights.map((w) => w.originalName))}; ` +
          `the source's: ${sample([...tensors.keys()])}; ${summary.mismatched.length} share a name but not a shape)`,
      );
    }
    return summary;
  } finally {
    for (const t of tensors.values()) t.dispose();
  }
}
