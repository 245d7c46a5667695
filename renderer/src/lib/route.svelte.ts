export const VIEWS = [
  { id: 'datasets', label: 'Datasets' },
  { id: 'train', label: 'Train' },
  { id: 'compare', label: 'Compare' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'scan', label: 'Scan' },
  { id: 'embedding', label: 'Embedding' },
] as const;
export type ViewId = (typeof VIEWS)[number]['id'];

function parseHash(): { view: ViewId; params: URLSearchParams } {
  const [path, query = ''] = location.hash.replace(/^#\/?/, '').split('?');
  const view = VIEWS.find((v) => v.id === path)?.id ?? 'datasets';
  return { view, params: new URLSearchParams(query) };
}

/** Hash routing: deep links (Compare → Inspect, Scan → Inspect) survive reloads and work from file://. */
class Route {
  current = $state(parseHash());

  constructor() {
    window.addEventListener('hashchange', () => (this.current = parseHash()));
  }

  go(view: ViewId, params: Record<string, string> = {}): void {
    const q = new URLSearchParams(params).toString();
    location.hash = `#/${view}${q ? `?${q}` : ''}`;
    // hashchange fires later (a task, not a microtask): state derived from the route, such as Compare's
    // selection, must see this change before the next key press, or two quick ticks lose the first one.
    this.current = parseHash();
  }
}

export const route = new Route();
