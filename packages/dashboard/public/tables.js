// report's Markdown summary (its table, then lines) shown as HTML, built with text nodes only.

const cells = (line) =>
  line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

export function renderMarkdown(holder, markdown) {
  holder.replaceChildren();
  let table;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('|')) {
      if (/^\|( --- \|)+$/.test(line)) continue;
      const header = !table;
      table ??= holder.appendChild(document.createElement('table'));
      const row = table.insertRow();
      for (const text of cells(line)) {
        const cell = row.appendChild(document.createElement(header ? 'th' : 'td'));
        cell.textContent = text;
      }
    } else if (line.trim()) {
      table = undefined;
      const paragraph = holder.appendChild(document.createElement('p'));
      paragraph.textContent = line;
    }
  }
}
