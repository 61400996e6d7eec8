import type { OptionProblem } from '@diffstruct/core';
import { type AreasOptions, DEFAULT_AREA, DEFAULT_LINKS, INPUT, type LinkSpec, OUTPUT } from './area-options.js';

/**
 * The rules across `areas`, `links`, `areaTemplate` and the caps: every name known and unique,
 * links between two different places, every area on a path from input to output. Each problem
 * names the option where it was written.
 */
export function areaGraphProblems(options: AreasOptions): OptionProblem[] {
  const problems: OptionProblem[] = [];
  const names = options.areas.map((a) => a.name);
  const isArea = (name: string) => names.includes(name) && name !== INPUT && name !== OUTPUT;
  const known = `(areas: ${[...new Set(names.filter(isArea))].join(', ')})`;
  options.areas.forEach((area, i) => {
    const first = names.indexOf(area.name);
    if (area.name === INPUT || area.name === OUTPUT)
      problems.push({ message: `{areas[${i}].name} is reserved: in links, ${INPUT} is the symbol read and ${OUTPUT} the softmax fed` });
    else if (first < i) problems.push({ message: `{areas[${i}].name} is the name of {areas[${first}].name} too: each area needs a name of its own` });
    if (area.hidden > options.maxHidden) problems.push({ message: `{areas[${i}].hidden} must be at most {maxHidden}` });
  });
  if (options.areas.length > options.maxAreas) problems.push({ message: `{maxAreas} must be at least the number of areas listed (${options.areas.length})` });
  if (options.areaTemplate !== undefined && !names.includes(options.areaTemplate)) problems.push({ message: `{areaTemplate} names no area ${known}` });

  // `areas` written without `links`: the default links wire `main`, which the user never wrote.
  const defaultLinks = JSON.stringify(options.links) === JSON.stringify(DEFAULT_LINKS);
  if (defaultLinks && !names.includes(DEFAULT_AREA)) {
    const first = names[0];
    problems.push({
      message: `{areas} is written without links: say which feeds which, e.g. links: [{ from: ${INPUT}, to: ${first} }, { from: ${first}, to: ${OUTPUT} }] (without links, the one area is ${DEFAULT_AREA})`,
    });
    return problems;
  }

  let linksValid = true;
  options.links.forEach((link, i) => {
    const problem = (message: string) => {
      problems.push({ message });
      linksValid = false;
    };
    if (link.from !== INPUT && !isArea(link.from)) problem(`{links[${i}].from} is neither ${INPUT} nor an area ${known}`);
    else if (link.to !== OUTPUT && !isArea(link.to)) problem(`{links[${i}].to} is neither ${OUTPUT} nor an area ${known}`);
    else if (link.from === INPUT && link.to === OUTPUT) problem(`{links[${i}].from} → {links[${i}].to}: a link starts or ends at an area`);
    else if (link.from === link.to) problem(`{links[${i}].from} → {links[${i}].to}: an area's recurrence within itself is built in; a link joins two areas`);
    else {
      const first = options.links.findIndex((l) => l.from === link.from && l.to === link.to);
      if (first < i) problem(`{links[${i}].from} → {links[${i}].to} repeats {links[${first}].from} → {links[${first}].to}`);
    }
  });
  if (!linksValid) return problems;

  const reached = reachable(INPUT, options.links, (l) => [l.from, l.to]);
  const reaching = reachable(OUTPUT, options.links, (l) => [l.to, l.from]);
  options.areas.forEach((area, i) => {
    if (!reached.has(area.name)) problems.push({ message: `{areas[${i}].name} is on no path of links from ${INPUT}: it would never see the symbols` });
    if (!reaching.has(area.name))
      problems.push({ message: `{areas[${i}].name} is on no path of links to ${OUTPUT}: nothing it computes would reach the loss` });
  });
  return problems;
}

/** Stands for an area that could be added (no area's name: written names never hold `+`). */
const ADDED = '+';

/**
 * Whether the areas `names`, wired by `links` (those to an area not listed left out), are at least
 * one and each on a path from input to output, and whether an area added as `template` is wired
 * (`template.links` written with `template.name`, which stands for the new area): the graph a
 * growing network keeps.
 */
export function keepsEveryAreaOnAPath(
  names: readonly string[],
  links: readonly LinkSpec[],
  template: { readonly name: string; readonly links: readonly LinkSpec[] },
): boolean {
  if (!names.length) return false;
  const alive = new Set([INPUT, OUTPUT, ADDED, ...names]);
  const wired = links.filter((l) => alive.has(l.from) && alive.has(l.to));
  const copies = template.links.map((l) => ({ from: copyOf(l.from, template.name), to: copyOf(l.to, template.name) }));
  // The areas on paths of their own links; the added area with its links joined to them.
  const onAPath = (among: readonly LinkSpec[]) => {
    const reached = reachable(INPUT, among, (l) => [l.from, l.to]);
    const reaching = reachable(OUTPUT, among, (l) => [l.to, l.from]);
    return (name: string) => reached.has(name) && reaching.has(name);
  };
  const withCopy = [...wired, ...copies.filter((l) => alive.has(l.from) && alive.has(l.to))];
  return names.every(onAPath(wired)) && onAPath(withCopy)(ADDED);
}

const copyOf = (end: string, template: string) => (end === template ? ADDED : end);

/** Every name reachable from `start` along links read as [from, to] by `ends`. */
function reachable(start: string, links: readonly LinkSpec[], ends: (link: LinkSpec) => [string, string]): Set<string> {
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length) {
    const at = queue.shift() as string;
    for (const link of links) {
      const [from, to] = ends(link);
      if (from === at && !seen.has(to)) {
        seen.add(to);
        queue.push(to);
      }
    }
  }
  return seen;
}
