// Browser side effects of the export buttons (kept out of the components so tests can fake them).

/**
 * Saves `content` as a file through a temporary `<a download>`. Custom UI iframes are sandboxed
 * with `allow-downloads` but without `allow-popups`, so this, not `window.open`, is how the panel
 * hands a page to the user.
 */
export const browserDownload = (fileName: string, content: string, type: string): void => {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
};
