import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  Background,
  BackgroundVariant,
  Controls,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  getNodesBounds,
  useReactFlow,
  type NodeChange,
} from '@xyflow/react';
import { toFlowEdges, toFlowNodes, type BlockFlowNode } from '../graph/toFlow';
import { initialViewport } from '../graph/viewport';
import { useWorkbench, useWorkbenchState } from '../state/WorkbenchContext';
import { BlockNode } from './BlockNode';

const NODE_TYPES = { block: BlockNode };
const MINIMAP_SIZE = { width: 220, height: 72 };

/** Keeps the sizes xyflow measured when the nodes are rebuilt from the IR. */
function keepMeasured(next: BlockFlowNode[], previous: BlockFlowNode[]): BlockFlowNode[] {
  const measured = new Map(previous.map((n) => [n.id, n.measured]));
  return next.map((n) => (measured.get(n.id) ? { ...n, measured: measured.get(n.id) } : n));
}

function GraphView(): React.JSX.Element {
  const { store } = useWorkbench();
  const graph = useWorkbenchState((s) => s.graph);
  const report = useWorkbenchState((s) => s.report);
  const selected = useWorkbenchState((s) => s.selectedNode);
  const flow = useReactFlow();
  const container = useRef<HTMLDivElement>(null);
  const framed = useRef<string | null>(null);

  const derived = useMemo(() => (graph && report ? toFlowNodes(graph, report, selected) : []), [graph, report, selected]);
  const edges = useMemo(() => (graph && report ? toFlowEdges(graph, report) : []), [graph, report]);
  const [nodes, setNodes] = useState<BlockFlowNode[]>([]);
  useEffect(() => setNodes((previous) => keepMeasured(derived, previous)), [derived]);

  // Frame each newly opened graph once its nodes have been measured.
  const measured = nodes.length > 0 && nodes.every((n) => n.measured?.width);
  useEffect(() => {
    if (!graph || !measured || !container.current || framed.current === graph.name) return;
    framed.current = graph.name;
    const { width, height } = container.current.getBoundingClientRect();
    void flow.setViewport(initialViewport(getNodesBounds(nodes), { width, height }));
  }, [graph, measured, nodes, flow]);

  // Bring a node selected elsewhere (Problems, inspector) into view when it is off screen.
  useEffect(() => {
    const node = selected ? nodes.find((n) => n.id === selected) : undefined;
    if (!node?.measured?.width || !container.current) return;
    const { x, y, zoom } = flow.getViewport();
    const { width, height } = container.current.getBoundingClientRect();
    const left = node.position.x * zoom + x;
    const top = node.position.y * zoom + y;
    const visible = left >= 0 && top >= 0 && left + node.measured.width * zoom <= width && top + (node.measured.height ?? 0) * zoom <= height;
    if (!visible) void flow.setCenter(node.position.x + node.measured.width / 2, node.position.y + (node.measured.height ?? 0) / 2, { zoom, duration: 250 });
    // Only a change of selection should move the view, not every re-render of the nodes.
  }, [selected, flow]);

  const onNodesChange = useCallback(
    (changes: NodeChange<BlockFlowNode>[]) => {
      setNodes((current) => applyNodeChanges(changes, current));
      for (const change of changes) {
        if (change.type === 'position' && change.position && change.dragging === false) {
          store.dispatch({ type: 'nodeMoved', id: change.id, position: change.position });
        }
        if (change.type === 'select' && change.selected) store.dispatch({ type: 'nodeSelected', id: change.id });
      }
    },
    [store],
  );

  return (
    <div className="vb-canvas" ref={container} data-testid="canvas">
      <ReactFlow<BlockFlowNode>
        nodes={nodes}
        edges={edges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onPaneClick={() => store.dispatch({ type: 'nodeSelected', id: null })}
        nodesConnectable={false}
        minZoom={0.1}
        maxZoom={2}
        colorMode="dark"
        proOptions={{ hideAttribution: true }}
        defaultEdgeOptions={{ type: 'smoothstep' }}
      >
        <Background variant={BackgroundVariant.Dots} gap={20} size={1.2} />
        <Controls showInteractive={false} position="bottom-left" />
        <MiniMap
          pannable
          zoomable
          position="bottom-right"
          className="vb-minimap"
          style={MINIMAP_SIZE}
          bgColor="#1c1f26"
          maskColor="rgba(8, 9, 12, 0.6)"
          nodeBorderRadius={4}
          nodeClassName={(n) => `vb-mini cat-${(n as BlockFlowNode).data.category}`}
        />
      </ReactFlow>
      {!graph && <div className="vb-canvas-empty">Open a template to start.</div>}
    </div>
  );
}

/** The graph editor's canvas (read-only edges for now; dragging moves nodes in the IR). */
export function Canvas(): React.JSX.Element {
  return (
    <ReactFlowProvider>
      <GraphView />
    </ReactFlowProvider>
  );
}
