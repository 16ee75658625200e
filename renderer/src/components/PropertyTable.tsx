/** A two-column list of labelled values. */
export function PropertyTable({ rows, testId }: { rows: [string, React.ReactNode][]; testId?: string }): React.JSX.Element {
  return (
    <dl className="vb-props" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label} className="vb-prop">
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
