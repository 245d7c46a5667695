// Import circles among local modules, `import type` included: eslint's import-x/no-cycle skips type-only
// imports, and a type circle still means two modules that cannot be read one before the other.
// Usage: node scripts/check-import-circles.mjs DIR... (exit 1 and the circles listed when there are any)
import fs from 'node:fs';
import path from 'node:path';

const IMPORT = /^\s*(?:import|export)\s[^'";]*?\sfrom\s+'(\.{1,2}\/[^']*)'/gm;

function tsFiles(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

function resolve(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
}

const files = process.argv.slice(2).flatMap((d) => tsFiles(path.resolve(d)));
const edges = new Map(files.map((f) => [f, [...fs.readFileSync(f, 'utf8').matchAll(IMPORT)].map((m) => resolve(f, m[1])).filter(Boolean)]));

// Tarjan's strongly connected components: every component of more than one module is a circle.
let next = 0;
const index = new Map();
const low = new Map();
const stack = [];
const onStack = new Set();
const circles = [];
function visit(v) {
  index.set(v, next);
  low.set(v, next++);
  stack.push(v);
  onStack.add(v);
  for (const w of edges.get(v) ?? []) {
    if (!index.has(w)) {
      visit(w);
      low.set(v, Math.min(low.get(v), low.get(w)));
    } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)));
  }
  if (low.get(v) !== index.get(v)) return;
  const component = [];
  let w;
  do {
    w = stack.pop();
    onStack.delete(w);
    component.push(path.relative(process.cwd(), w));
  } while (w !== v);
  if (component.length > 1) circles.push(component.sort());
}
for (const f of files) if (!index.has(f)) visit(f);

for (const c of circles) console.error(`import circle: ${c.join(' ↔ ')}`);
process.exit(circles.length ? 1 : 0);
