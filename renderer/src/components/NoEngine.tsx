/** Shown when the page was opened without a way to reach the engine. */
export function NoEngine({ reason }: { reason: string }): React.JSX.Element {
  return (
    <main className="vb-no-engine" data-testid="no-engine">
      <h1>VisionBench cannot reach its engine</h1>
      <p>{reason}</p>
      <p>
        Start it with <code>visionbench serve --open</code>, or open the full address it prints.
      </p>
    </main>
  );
}
