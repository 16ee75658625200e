import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { BlockFlowNode } from '../graph/toFlow';

/** Spreads a node's ports evenly along its side. */
function portOffset(index: number, count: number): string {
  return `${((index + 1) / (count + 1)) * 100}%`;
}

/** A block on the canvas: type, key params, output shape, params and FLOPs; red with the reason when invalid. */
function BlockNodeView({ id, data, selected }: NodeProps<BlockFlowNode>): React.JSX.Element {
  const invalid = data.errors.length > 0;
  const classes = ['vb-node', `cat-${data.category}`, invalid && 'is-invalid', selected && 'is-selected'].filter(Boolean).join(' ');
  return (
    <div className={classes} data-testid={`node-${id}`} data-invalid={invalid || undefined}>
      {data.inputs.map((port, i) => (
        <Handle key={port} type="target" position={Position.Left} id={port} style={{ top: portOffset(i, data.inputs.length) }} />
      ))}
      <div className="vb-node-head">
        <span className="vb-node-type">{data.type}</span>
        <span className="vb-node-id" title={id}>
          {id}
        </span>
      </div>
      {data.summary && <div className="vb-node-summary">{data.summary}</div>}
      <div className="vb-node-shape" data-testid="node-shape">
        {data.shape ?? '—'}
      </div>
      <div className="vb-node-stats">
        <span data-testid="node-params">{data.params} params</span>
        <span data-testid="node-flops">{data.flops}</span>
      </div>
      {invalid && (
        <div className="vb-node-error" data-testid="node-error">
          {data.errors[0]}
          {data.errors.length > 1 && ` (+${data.errors.length - 1} more)`}
        </div>
      )}
      {data.outputs.map((port, i) => (
        <Handle key={port} type="source" position={Position.Right} id={port} style={{ top: portOffset(i, data.outputs.length) }} />
      ))}
    </div>
  );
}

export const BlockNode = memo(BlockNodeView);
