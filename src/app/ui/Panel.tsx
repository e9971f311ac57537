import { useId } from 'react';
import type { ReactNode } from 'react';

interface PanelProps {
  title: string;
  /** One line under the title saying what the panel counts. */
  note?: ReactNode;
  className?: string;
  testId?: string;
  children: ReactNode;
}

/** A titled card on the summary page. */
export function Panel({ title, note, className, testId, children }: PanelProps) {
  const id = useId();
  return (
    <section className={className ? `panel ${className}` : 'panel'} aria-labelledby={id} data-testid={testId}>
      <h2 id={id}>{title}</h2>
      {note && <p className="panel-note">{note}</p>}
      {children}
    </section>
  );
}
