import { blocksByCategory } from '../graph/blockCatalog';

/** The palette: every registry block by category, with its doc text. */
export function BlocksPanel(): React.JSX.Element {
  return (
    <div className="vb-blocks">
      {blocksByCategory().map((group) => (
        <section key={group.category} className={`vb-block-group cat-${group.category}`} data-testid={`block-group-${group.category}`}>
          <h3 className="vb-group-title">
            <span className={`vb-cat-dot cat-${group.category}`} aria-hidden="true" />
            {group.label}
          </h3>
          <ul className="vb-list">
            {group.blocks.map((block) => (
              <li key={block.type} className="vb-block-item" data-testid={`block-${block.type}`} title={block.doc}>
                <div className="vb-item-title">{block.type}</div>
                <div className="vb-item-doc">{block.doc}</div>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
