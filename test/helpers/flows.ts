/** A small CSV of flow records: bytes and packets numeric, proto categorical; attacks are large and UDP. */
export function flowCsv(rows: number, columns = ['bytes', 'packets', 'proto', 'label']): string {
  const lines = [columns.join(',')];
  for (let i = 0; i < rows; i++) {
    const attack = i % 2 === 1;
    const cell: Record<string, string | number> = { bytes: attack ? 90_000 + i : 300 + i, packets: attack ? 900 : 4, proto: attack ? 'udp' : 'tcp', label: attack ? 'attack' : 'normal' };
    lines.push(columns.map((c) => cell[c]).join(','));
  }
  return lines.join('\n') + '\n';
}
