// report's Markdown summary (its table, then lines and "- " lists) shown as HTML, built with text nodes only.

const cells = (line) =>
  line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());

export function renderMarkdown(holder, markdown) {
  holder.replaceChildren();
  let table;
  let list;
  for (const line of markdown.split('\n')) {
    if (!line.startsWith('- ')) list = undefined;
    if (line.startsWith('|')) {
      if (/^\|( --- \|)+$/.test(line)) continue;
      const header = !table;
      table ??= holder.appendChild(document.createElement('table'));
      const row = table.insertRow();
      for (const text of cells(line)) {
        const cell = row.appendChild(document.createElement(header ? 'th' : 'td'));
        cell.textContent = text;
      }
    } else if (line.startsWith('- ')) {
      // "- easy: 9.61/6, 9.70/7": the arm's name set apart from its values.
      list ??= holder.appendChild(document.createElement('ul'));
      const item = list.appendChild(document.createElement('li'));
      const [, name, rest] = /^- ([^:]*:)?(.*)$/.exec(line);
      if (name) item.appendChild(document.createElement('strong')).textContent = name;
      item.append(rest);
    } else if (line.trim()) {
      table = undefined;
      const paragraph = holder.appendChild(document.createElement('p'));
      paragraph.textContent = line;
    }
  }
}
