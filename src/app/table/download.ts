// Save text as a file from the page: a Blob and a temporary link, no network involved.

export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** "x86_64-….vmallocinfo" → "x86_64-…-areas.csv". */
export function exportName(fileName: string | null, ext: string): string {
  const base = (fileName ?? 'vmallocinfo').replace(/\.(vmallocinfo|txt|gz)$/g, '').replace(/[^\w.-]+/g, '_') || 'vmallocinfo';
  return `${base}-areas.${ext}`;
}
