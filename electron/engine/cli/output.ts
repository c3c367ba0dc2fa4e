/** stdout carries results (JSON with --json); stderr carries progress and logs. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function log(line: string): void {
  process.stderr.write(line + '\n');
}

export function formatAddress(list: { name: string; address: string }[]): string {
  const a = list[0];
  if (!a) return '';
  return a.name ? `${a.name} <${a.address}>` : a.address;
}
