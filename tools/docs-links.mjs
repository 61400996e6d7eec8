// Code comments cite docs/method.md by anchor and the docs link to source files by the name of
// what they describe; files get renamed and headings reworded, so this finds every such citation
// and link that no longer lands somewhere. docs-links.spec.mjs runs it in the root `npm test`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', '.git', 'runs']);
export const METHOD = 'docs/method.md';
/** The tests of this file: their fixtures cite anchors and files that do not exist, on purpose. */
const SPEC = fileURLToPath(new URL('./docs-links.spec.mjs', import.meta.url));

/** Every text file under `root` (repo-relative path with `/`, and its lines), build output and runs left out. */
function textFiles(root) {
  const files = [];
  const walk = (dir) => {
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1)); // a stable order for the messages
    for (const entry of entries) {
      const path = join(dir, entry.name);
      if (SKIPPED_FOLDERS.has(entry.name) || path === SPEC) continue;
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && !entry.name.endsWith('.tsbuildinfo') && statSync(path).size < 2 ** 21) {
        const bytes = readFileSync(path);
        if (bytes.includes(0)) continue; // binary: figures, wasm
        files.push({ path: relative(root, path).split(sep).join('/'), lines: bytes.toString('utf8').split('\n') });
      }
    }
  };
  walk(root);
  return files;
}

/** For each line of a markdown file: is it inside a fenced code block (fences included)? */
function fencedLines(lines) {
  let fence = null;
  return lines.map((line) => {
    const open = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (fence === null) {
      if (open) fence = open[1];
      return open !== null;
    }
    if (open && open[1][0] === fence[0] && open[1].length >= fence.length && line.trim() === open[1]) fence = null;
    return true;
  });
}

/** GitHub's anchor for a heading: its rendered text, lowercased, punctuation dropped, spaces → hyphens. */
export function githubSlug(heading) {
  const text = heading
    .replace(/<[^>]*>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*]/g, '')
    .trim();
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a markdown text defines: heading slugs (repeats numbered like GitHub's) and `<a id|name>`. */
export function anchorsOf(markdown) {
  const lines = markdown.split('\n');
  const fenced = fencedLines(lines);
  const anchors = new Set();
  const seen = new Map();
  lines.forEach((line, i) => {
    if (fenced[i]) return;
    const heading = /^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line);
    if (heading) {
      const slug = githubSlug(heading[1]);
      const n = seen.get(slug) ?? 0;
      seen.set(slug, n + 1);
      anchors.add(n === 0 ? slug : `${slug}-${n}`);
    }
    for (const a of line.matchAll(/<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/g)) anchors.add(a[1]);
  });
  return anchors;
}

/** Inline links and reference definitions of a markdown file, outside code: { line, text, target }. */
function linksOf(lines) {
  const fenced = fencedLines(lines);
  const links = [];
  lines.forEach((line, i) => {
    if (fenced[i]) return;
    const code = [...line.matchAll(/`[^`]*`/g)].map((m) => [m.index, m.index + m[0].length]);
    const inCode = (at) => code.some(([from, to]) => at > from && at < to);
    for (const m of line.matchAll(/!?\[((?:[^[\]]|\[[^[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
      if (!inCode(m.index)) links.push({ line: i + 1, text: m[1], target: m[2] });
    }
    const definition = /^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)/.exec(line);
    if (definition) links.push({ line: i + 1, text: definition[1], target: definition[2] });
  });
  return links;
}

/** A link's text that names one code identifier, `name` or `Type.member`, optionally with `()`. */
const IDENTIFIER = /^`([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)?)(?:\(\))?`$/;

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every broken citation or link under `root`, as `file:line: what is missing`. */
export function checkDocs(root) {
  const files = textFiles(root);
  const problems = { anchors: [], links: [], identifiers: [], legacy: [] };
  const anchorCache = new Map();
  const anchorsIn = (path) => {
    if (!anchorCache.has(path)) anchorCache.set(path, existsSync(path) ? anchorsOf(readFileSync(path, 'utf8')) : null);
    return anchorCache.get(path);
  };
  const cited = new Set(); // `file:line doc#anchor` checked by (a), so that (b) does not report it twice

  for (const { path, lines } of files) {
    lines.forEach((line, i) => {
      const at = `${path}:${i + 1}`;
      // (a) a doc cited with an anchor by its path in the repository (docs/method.md#tasks),
      // wherever that is, and method.md#tasks as written from inside docs/.
      const citations = [
        ...[...line.matchAll(/(?<![\w-])(docs\/(?:[\w.-]+\/)*[\w.-]+\.md)#([\p{L}\p{N}_-]+)/gu)].map((m) => [m[1], m[2]]),
        ...[...line.matchAll(/(?<![\w/.-])method\.md#([\p{L}\p{N}_-]+)/gu)].map((m) => [METHOD, m[1]]),
      ];
      for (const [doc, anchor] of citations) {
        cited.add(`${at} ${doc}#${anchor}`);
        const anchors = anchorsIn(join(root, doc));
        if (anchors === null) problems.anchors.push(`${at}: cites ${doc}#${anchor}, but ${doc} does not exist`);
        else if (!anchors.has(anchor)) problems.anchors.push(`${at}: cites ${doc}#${anchor}, but ${doc} has no heading or <a id> with that anchor`);
      }
      // (d) citations of documents that live outside the repository.
      for (const m of line.matchAll(/\b(spec|design)(\.md\b|\s*§)/gi)) {
        if (m[1] === m[1].toUpperCase())
          problems.legacy.push(`${at}: cites "${m[0].trim()}", a document outside the repository; cite ${METHOD}#<anchor> or a doc in docs/ instead`);
      }
      for (const m of line.matchAll(/\.\.\/shared\/|differentiable-structure-paper\.md/g)) {
        problems.legacy.push(`${at}: points to "${m[0]}", outside the repository`);
      }
    });

    if (!path.endsWith('.md')) continue;
    // (b) relative links from markdown files, and (c) links named after an identifier.
    const base = dirname(join(root, path));
    for (const { line, text, target } of linksOf(lines)) {
      const at = `${path}:${line}`;
      if (!target || /^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) continue;
      const hash = target.indexOf('#');
      const filePart = decodeURI(hash < 0 ? target : target.slice(0, hash));
      const anchor = hash < 0 ? '' : decodeURIComponent(target.slice(hash + 1));
      const file = filePart === '' ? join(root, path) : filePart.startsWith('/') ? join(root, filePart) : resolve(base, filePart);
      const inRepo = relative(root, file);
      if (inRepo.startsWith('..') || resolve(inRepo) === inRepo) {
        problems.links.push(`${at}: link to ${target} leaves the repository`);
        continue;
      }
      if (!existsSync(file)) {
        problems.links.push(`${at}: link to ${target}: no such file or folder (${inRepo.split(sep).join('/')})`);
        continue;
      }
      const isFile = statSync(file).isFile();
      const targetPath = inRepo.split(sep).join('/');
      if (anchor && isFile && file.endsWith('.md') && !cited.has(`${at} ${targetPath}#${anchor}`) && !anchorsIn(file).has(anchor)) {
        problems.links.push(`${at}: link to ${target}: ${targetPath} has no heading or <a id> with the anchor #${anchor}`);
      }
      const identifier = IDENTIFIER.exec(text.trim());
      if (identifier && isFile && !file.endsWith('.md') && !targetPath.endsWith(identifier[1])) {
        const source = readFileSync(file, 'utf8');
        const missing = identifier[1].split('.').filter((part) => !new RegExp(`(?<![\\w$])${escapeRegExp(part)}(?![\\w$])`).test(source));
        if (missing.length) problems.identifiers.push(`${at}: link \`${identifier[1]}\` → ${targetPath}, which does not contain ${missing.join(', ')}`);
      }
    }
  }
  return problems;
}
