/**
 * Keyboard operation of a table or list whose rows open something: ↑/↓ move the focus to the previous /
 * next row, Home/End to the first / last, Enter (or Space) opens the focused row. A row with a button,
 * link or checkbox of its own takes the focus there, so Enter does what a click on it does (a checkbox
 * ticks, as Space ticks it natively); a row that is clickable as a whole (`<tr onclick>`) is made focusable
 * here and Enter clicks it. Keys pressed in a field inside a row (a text input, a select) are left to that
 * field.
 *
 * Use as a Svelte action: `<table use:rowKeys>` (rows: `tbody tr`), or `use:rowKeys={'li'}`.
 */
export function rowKeys(node: HTMLElement, selector = 'tbody tr') {
  let rowSelector = selector;
  const MOVE = new Set(['ArrowDown', 'ArrowUp', 'Home', 'End']);
  // A checkbox does nothing with these keys itself, so they stay the table's; in a text field they are the field's.
  const FIELD = 'input:not([type="checkbox"]), select, textarea, [contenteditable="true"]';
  const inner = (row: Element) => row.querySelector<HTMLElement>('button:not([disabled]), a[href], input, select');

  function focusTarget(row: Element): HTMLElement | null {
    return inner(row) ?? (row instanceof HTMLElement && row.hasAttribute('tabindex') ? row : null);
  }

  /** Rows without a control of their own join the tab order, or the keyboard could never reach them. */
  function makeFocusable() {
    for (const row of node.querySelectorAll<HTMLElement>(rowSelector)) {
      if (!inner(row) && !row.hasAttribute('tabindex')) row.tabIndex = 0;
    }
  }

  function onKey(e: KeyboardEvent) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const t = e.target as HTMLElement;
    if ((e.key === 'Enter' || e.key === ' ') && t.matches(rowSelector)) {
      e.preventDefault();
      t.click();
      return;
    }
    if (e.key === 'Enter' && t.matches('input[type="checkbox"]') && t.closest(rowSelector)) {
      e.preventDefault();
      t.click();
      return;
    }
    if (!MOVE.has(e.key) || t.closest(FIELD)) return;
    const rows = [...node.querySelectorAll(rowSelector)].filter((r) => focusTarget(r));
    if (!rows.length) return;
    const at = rows.findIndex((r) => r.contains(document.activeElement));
    if (at < 0) return;
    const next = e.key === 'Home' ? 0 : e.key === 'End' ? rows.length - 1 : Math.max(0, Math.min(rows.length - 1, at + (e.key === 'ArrowDown' ? 1 : -1)));
    e.preventDefault();
    const target = focusTarget(rows[next])!;
    target.focus();
    target.scrollIntoView({ block: 'nearest' });
  }

  makeFocusable();
  const observer = new MutationObserver(makeFocusable);
  observer.observe(node, { childList: true, subtree: true });
  node.addEventListener('keydown', onKey);
  return {
    update(s: string) {
      rowSelector = s ?? 'tbody tr';
      makeFocusable();
    },
    destroy() {
      observer.disconnect();
      node.removeEventListener('keydown', onKey);
    },
  };
}
