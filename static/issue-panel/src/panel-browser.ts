// Browser side effects of the export buttons (kept out of the components so tests can fake them).

const blobUrl = (content: string, type: string): string => URL.createObjectURL(new Blob([content], { type }));

/** Saves `content` as a file through a temporary `<a download>`. */
export const browserDownload = (fileName: string, content: string, type: string): void => {
  const url = blobUrl(content, type);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};

/** Opens the printable page in a new tab (a blob URL: the page carries its own CSP and no script). */
export const browserOpenPrintable = (html: string): void => {
  const url = blobUrl(html, 'text/html;charset=utf-8');
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
