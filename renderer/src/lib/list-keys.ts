/**
 * Keyboard operation of a virtualized list (components/VirtualRows): ↑/↓, Page Up/Down and Home/End move the
 * focus through all `total` rows, not only the few rendered. `onMove` hands the new index to the list (its
 * `selectedIndex`), which scrolls there and so renders the row; the focus follows as soon as the row's
 * `target` element exists (its page may still be loading). Enter or Space on the focused row's button is the
 * browser's own click, so the keyboard does what the mouse does. Clicking or tabbing into a row moves the
 * index there too.
 *
 * Use as a Svelte action on an element around the list:
 * `<div use:listKeys={{ total, onMove: (i) => (cursor = i) }}><VirtualRows selectedIndex={cursor} …>`.
 */
export interface ListKeysParams {
  total: number;
  onMove: (index: number) => void;
  /** What takes the focus inside a row. */
  target?: string;
}

const STEPS: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: 15, PageUp: -15 };
/** Frames to wait for a row to render before giving up (about a second). */
const TRIES = 60;

export function listKeys(node: HTMLElement, params: ListKeysParams) {
  let { total, onMove, target = 'button' } = params;
  let at = -1;

  function focusRow(i: number, tries = TRIES) {
    // A later key has moved on: stop chasing this row.
    if (i !== at) return;
    const el = node.querySelector<HTMLElement>(`.row[data-index="${i}"] ${target}`);
    if (el) {
      // The list has scrolled itself to the row; the page only moves if the row is off screen.
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: 'nearest' });
    } else if (tries > 0) requestAnimationFrame(() => focusRow(i, tries - 1));
  }

  function onKey(e: KeyboardEvent) {
    if (total === 0 || e.altKey || e.ctrlKey || e.metaKey) return;
    const step = STEPS[e.key];
    const to = e.key === 'Home' ? 0 : e.key === 'End' ? total - 1 : step !== undefined ? Math.max(0, Math.min(total - 1, at + step)) : null;
    if (to === null) return;
    e.preventDefault();
    at = to;
    onMove(to);
    focusRow(to);
  }

  function onFocus(e: FocusEvent) {
    const idx = (e.target as HTMLElement).closest<HTMLElement>('.row')?.dataset.index;
    if (idx === undefined || Number(idx) === at) return;
    at = Number(idx);
    onMove(at);
  }

  node.addEventListener('keydown', onKey);
  node.addEventListener('focusin', onFocus);
  return {
    update(p: ListKeysParams) {
      ({ total, onMove, target = 'button' } = p);
    },
    destroy() {
      node.removeEventListener('keydown', onKey);
      node.removeEventListener('focusin', onFocus);
    },
  };
}
