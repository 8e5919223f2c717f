/** A progress bar on stderr, only when stderr is a terminal (or `--progress` forces it). Never on stdout. */
export interface Progress {
  /** `total` null: a count without a bar. */
  update(label: string, done: number, total: number | null): void;
  finish(): void;
}

export const NO_PROGRESS: Progress = { update: () => undefined, finish: () => undefined };

const WIDTH = 24;

export const createProgress = (write: (text: string) => void): Progress => {
  let shown = '';
  let active = false;
  return {
    update(label, done, total) {
      let line: string;
      if (total && total > 0) {
        const ratio = Math.min(1, done / total);
        const filled = Math.round(ratio * WIDTH);
        line = `${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${String(Math.floor(ratio * 100)).padStart(3)}% ${done}/${total}`;
      } else {
        line = `${label}: ${done}`;
      }
      if (line === shown) return;
      shown = line;
      active = true;
      write(`\r\x1b[2K${line}`);
    },
    finish() {
      if (active) write('\n');
      active = false;
      shown = '';
    },
  };
};
