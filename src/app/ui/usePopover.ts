// A button's drop-down panel (Share, Kept): open and closed by its button, closed by Escape while
// it has the focus, and closed when the pointer goes down anywhere outside it, so two panels never
// stand open over each other.

import { useEffect, useRef, useState } from 'react';
import type { KeyboardEvent, RefObject } from 'react';

export interface Popover {
  open: boolean;
  setOpen: (open: boolean) => void;
  /** On the element holding the button and the panel. */
  ref: RefObject<HTMLDivElement | null>;
  /** On the panel: Escape closes it. */
  onKeyDown: (e: KeyboardEvent) => void;
}

export function usePopover(): Popover {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    if (!open) return;
    const outside = (e: PointerEvent) => {
      if (ref.current && e.target instanceof Node && !ref.current.contains(e.target)) setOpen(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, [open]);
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.stopPropagation();
      setOpen(false);
    }
  };
  return { open, setOpen, ref, onKeyDown };
}
