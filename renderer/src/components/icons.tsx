/** Small line icons for the activity rail, drawn inline so the page loads no icon font. */
const common = { width: 22, height: 22, viewBox: '0 0 24 24', fill: 'none', stroke: 'currentColor', strokeWidth: 1.6, strokeLinecap: 'round', strokeLinejoin: 'round' } as const;

export function BlocksIcon(): React.JSX.Element {
  return (
    <svg {...common} aria-hidden="true">
      <rect x="3" y="3" width="7" height="7" rx="1.5" />
      <rect x="14" y="3" width="7" height="7" rx="1.5" />
      <rect x="3" y="14" width="7" height="7" rx="1.5" />
      <path d="M17.5 14v7M14 17.5h7" />
    </svg>
  );
}

export function TemplatesIcon(): React.JSX.Element {
  return (
    <svg {...common} aria-hidden="true">
      <circle cx="5" cy="12" r="2.2" />
      <circle cx="19" cy="6" r="2.2" />
      <circle cx="19" cy="18" r="2.2" />
      <path d="M7.2 11.2 16.8 6.8M7.2 12.8l9.6 4.4" />
    </svg>
  );
}

export function RunsIcon(): React.JSX.Element {
  return (
    <svg {...common} aria-hidden="true">
      <path d="M3 20h18" />
      <path d="M4 16c3-1 4-9 7-9s3 5 5 5 3-6 5-8" />
    </svg>
  );
}
