// A one-line progress bar with ETA on stderr (plain lines when stderr is not a terminal).

export function progress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): { tick(n?: number): void; done(): void } {
  const start = Date.now();
  let count = 0;
  let lastPrint = 0;
  const tty = stream.isTTY;
  const render = (final = false) => {
    const elapsed = (Date.now() - start) / 1000;
    const rate = count / Math.max(elapsed, 1e-3);
    const eta = count ? (total - count) / rate : NaN;
    const width = 28;
    const filled = total ? Math.round((count / total) * width) : width;
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${count}/${total} ${elapsed.toFixed(1)}s` + (final ? '' : ` ETA ${Number.isFinite(eta) ? eta.toFixed(0) + 's' : '?'}`);
    if (tty) stream.write(`\r${line}${final ? '\n' : ''}`);
    else if (final || Date.now() - lastPrint > 2000) { stream.write(line + '\n'); lastPrint = Date.now(); }
  };
  return {
    tick(n = 1) {
      count += n;
      if (tty || Date.now() - lastPrint > 2000) render();
    },
    done() {
      render(true);
    },
  };
}
